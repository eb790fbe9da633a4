/// The generic fp32 GEMM micro-kernel on x86-64 CPUs without FMA (the x86-64 baseline has
/// none: FMA came with Haswell and Piledriver, 2012–13): fused multiply-adds computed exactly
/// in SSE2 double arithmetic, so the generic path keeps the bits of every other path.
///
/// For Floats a, b, c the product a·b is exact in a Double (24 + 24 significant bits ≤ 53), so
/// `s = Double(a)·Double(b) + Double(c)` is the exact value x = a·b + c rounded once to Double.
/// `Float(s)` is then the fused result `fmaf(a, b, c)` — rounding twice gives the same Float as
/// rounding once — except when s falls exactly on a midpoint between two Floats: rounding is
/// monotonic, so s can reach a midpoint but never cross one, and everywhere else both
/// roundings agree. A midpoint in the range of normal Floats has the low 29 of its 52 fraction
/// bits equal to 1000…0; below 2⁻¹²⁶ (subnormal Floats) the test would need other bits, so any
/// non-zero |s| < 2⁻¹²⁶ counts as a possible midpoint too. The kernel keeps one flag for the
/// whole tile; when it is set (rare: data that makes a sum land exactly on a midpoint, or values
/// near 10⁻³⁸), the tile is computed again with the correctly rounded libm `fmaf`, lane by lane.
/// (Boldo and Melquiond's round-to-odd addition would make every step exact without the retry,
/// at twice the instructions per step.)
///
/// About six SSE2 instructions per fused multiply-add: ten times the `fmaf` calls this replaces,
/// and about twice the naive Double loop of `gemmReference`. A 10× margin over that loop would
/// need plain multiplies and adds, which round differently. arm64 has FMA in its baseline.
#if arch(x86_64)
import _Builtin_intrinsics.intel

/// The 8×32 tile of the generic path on x86-64: 4×4 blocks of exactly emulated fused chains.
@inline(never)
func sse2GEMMTile8x32(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    alpha: Float, update: TileUpdate
) {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { buffer in
        let block = buffer.baseAddress!
        var r0 = 0
        while r0 < rows {
            let blockRows = min(4, rows - r0)
            var j0 = 0
            while j0 < columns {
                let blockColumns = min(4, columns - j0)
                let aBlock = a + r0 * rowStride
                if !emulatedChains4x4(depth: depth, a: aBlock, rowStride: rowStride, depthStride: depthStride,
                                      rows: blockRows, b: b + j0, into: block) {
                    libmChains4x4(depth: depth, a: aBlock, rowStride: rowStride, depthStride: depthStride,
                                  rows: blockRows, b: b + j0, into: block)
                }
                for r in 0..<blockRows {
                    for j in 0..<blockColumns {
                        let out = c + (r0 + r) * ldc + j0 + j
                        out.pointee = mergeScalar(out.pointee, block[r * 4 + j], alpha: alpha, update: update)
                    }
                }
                j0 += 4
            }
            r0 += 4
        }
    }
}

/// The 4×4 block of chains `Σₚ a[r, p]·b[p, j]` (fused, from 0, p ascending) for rows `0..<4`
/// (rows past `rows` re-read row 0) and columns `0..<4` of a packed `[depth][32]` panel,
/// emulated in Double; false when a step may have hit a midpoint (the block is then not valid).
@inline(__always)
func emulatedChains4x4(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, rows: Int,
    b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>
) -> Bool {
    var c00 = _mm_setzero_pd(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00
    var suspicious = _mm_setzero_si128()
    let low29 = _mm_set_epi32(0, 0x1FFF_FFFF, 0, 0x1FFF_FFFF), midpoint = _mm_set_epi32(0, 0x1000_0000, 0, 0x1000_0000)
    let magnitude = _mm_castsi128_pd(_mm_set1_epi64x(0x7FFF_FFFF_FFFF_FFFF))
    let smallest = _mm_set1_pd(0x1p-126), zero = _mm_setzero_pd()
    @inline(__always) func rowStart(_ r: Int) -> UnsafePointer<Float> { a + (r < rows ? r : 0) * rowStride }
    let a0 = rowStart(0), a1 = rowStart(1), a2 = rowStart(2), a3 = rowStart(3)
    var offset = 0
    var bp = b
    /// One fused step on two lanes: the Double sum, flagged, and rounded to Float (kept as a Double).
    @inline(__always) func step(_ acc: inout __m128d, _ x: __m128d, _ y: __m128d) {
        let s = _mm_add_pd(_mm_mul_pd(x, y), acc)
        let bits = _mm_castpd_si128(s)
        let onMidpoint = _mm_cmpeq_epi32(_mm_and_si128(bits, low29), midpoint)
        let absolute = _mm_and_pd(s, magnitude)
        let tiny = _mm_and_pd(_mm_cmplt_pd(absolute, smallest), _mm_cmpneq_pd(absolute, zero))
        suspicious = _mm_or_si128(suspicious, _mm_or_si128(_mm_and_si128(onMidpoint, low29), _mm_castpd_si128(tiny)))
        acc = _mm_cvtps_pd(_mm_cvtpd_ps(s))
    }
    for _ in 0..<depth {
        let row = _mm_loadu_ps(bp)
        let b0 = _mm_cvtps_pd(row), b1 = _mm_cvtps_pd(_mm_movehl_ps(row, row))
        var x = _mm_set1_pd(Double(a0[offset]))
        step(&c00, x, b0); step(&c01, x, b1)
        x = _mm_set1_pd(Double(a1[offset]))
        step(&c10, x, b0); step(&c11, x, b1)
        x = _mm_set1_pd(Double(a2[offset]))
        step(&c20, x, b0); step(&c21, x, b1)
        x = _mm_set1_pd(Double(a3[offset]))
        step(&c30, x, b0); step(&c31, x, b1)
        offset &+= depthStride
        bp += 32
    }
    // `onMidpoint` compares 32-bit lanes; only the low lane of each Double means anything, and
    // masking it with `low29` kept just those bits.
    if _mm_movemask_epi8(suspicious) != 0 { return false }
    @inline(__always) func store(_ r: Int, _ v0: __m128d, _ v1: __m128d) {
        _mm_storeu_ps(out + 4 * r, _mm_movelh_ps(_mm_cvtpd_ps(v0), _mm_cvtpd_ps(v1)))
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
    return true
}

/// The same 4×4 block with libm's correctly rounded `fmaf`, lane by lane: the retry.
@inline(never)
func libmChains4x4(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, rows: Int,
    b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>
) {
    for r in 0..<4 {
        let row = a + (r < rows ? r : 0) * rowStride
        for j in 0..<4 {
            var t: Float = 0
            for p in 0..<depth { t = t.addingProduct(row[p * depthStride], b[p * 32 + j]) }
            out[r * 4 + j] = t
        }
    }
}
#endif
