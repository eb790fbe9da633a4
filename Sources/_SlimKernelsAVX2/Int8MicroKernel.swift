#if arch(x86_64)
import _Builtin_intrinsics.intel
import _SlimKernelsShared

/// One task of the int8 GEMM on AVX2 (see `runInt8Task`): activations widened to int16,
/// 6-row tiles, 16-column panels of int16 weight pairs.
///
/// Only call where the CPU has AVX2 (see `KernelPath` in SlimKernels).
@inline(never)
public func avx2Int8Task(_ task: Int8Task, _ output: Int8Output) {
    runInt8Task(task, output, operands: .pairs, mr: 6, panelWidth: 16, rowSums: avx2Int8RowSums,
                epilogue: avx2Int8Epilogue) { steps, a, lda, rows, _, b, _, initial, c, ldc in
        avx2Int8Tile6x16(pairs: steps, a: a, lda: lda, rows: rows, b: b, initial: initial, c: c, ldc: ldc)
    }
}

/// The AVX2 epilogue of an int8 tile (`int8Epilogue`'s arithmetic, 8 columns per step), for
/// the AVX2 and AVX-VNNI paths: `vcvtdq2ps` and `vcvtps2dq` round half to even (the default
/// MXCSR), `vmulps` and `vaddps` stay unfused as in the reference, and `vmaxps(v, 0)` gives
/// +0 for −0 and NaN as `!(v > 0)` does.
@inline(never)
public func avx2Int8Epilogue(_ tile: UnsafeMutablePointer<Int32>, _ ld: Int, _ rows: Int, _ columns: Int, _ row0: Int,
                             _ column0: Int, _ weightZeroPoints: UnsafePointer<Int32>?, _ rowSums: UnsafePointer<Int32>,
                             _ out: Int8Output) {
    @inline(__always) func load(_ p: UnsafeRawPointer) -> __m256i { p.loadUnaligned(as: __m256i.self) }
    @inline(__always) func loadFloats(_ p: UnsafePointer<Float>) -> __m256 { UnsafeRawPointer(p).loadUnaligned(as: __m256.self) }
    let limit = _mm256_set1_ps(4_194_304), negativeLimit = _mm256_set1_ps(-4_194_304)
    let zero = _mm256_set1_epi32(Int32(out.zero))
    let low = _mm256_set1_epi32(Int32(out.low)), high = _mm256_set1_epi32(Int32(out.high))
    // Gathers byte 0 of each int32 lane into the first 8 bytes.
    let lowBytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                    0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
    let halves = _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1)
    withUnsafeTemporaryAllocation(of: __m256i.self, capacity: 1) { spill in
        let buffer = UnsafeMutableRawPointer(spill.baseAddress!)
        for i in 0..<rows {
            let acc = tile + i * ld, row = row0 + i
            var j = 0
            while j < columns {
                let count = min(8, columns - j)
                var t = load(acc + j)
                if let zeros = weightZeroPoints {
                    t = _mm256_sub_epi32(t, _mm256_mullo_epi32(load(zeros + column0 + j), _mm256_set1_epi32(rowSums[i])))
                }
                let c = column0 + j
                // Full steps store straight to C; the last, partial one through `buffer`.
                switch out.kind {
                case .int32:
                    let destination = out.c + 4 * (row * out.ldc + c)
                    if count == 8 { destination.storeBytes(of: t, as: __m256i.self); break }
                    buffer.storeBytes(of: t, as: __m256i.self)
                    destination.copyMemory(from: buffer, byteCount: 4 * count)
                case .int8:
                    let destination = out.c + (row * out.ldc + c)
                    t = _mm256_add_epi32(t, load(out.integerBias! + c))
                    var f = _mm256_mul_ps(_mm256_cvtepi32_ps(t), loadFloats(out.multipliers! + c))
                    f = _mm256_min_ps(_mm256_max_ps(f, negativeLimit), limit)
                    let q = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(f), zero), low), high)
                    let codes = _mm_cvtsi128_si64(_mm256_castsi256_si128(
                        _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(q, lowBytes), halves)))
                    if count == 8 { destination.storeBytes(of: codes, as: Int64.self); break }
                    withUnsafeBytes(of: codes) { bytes in
                        for u in 0..<count { destination.storeBytes(of: bytes[u], toByteOffset: u, as: UInt8.self) }
                    }
                case .float:
                    let destination = out.c + 4 * (row * out.ldc + c)
                    var f = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(t), loadFloats(out.scales! + c)),
                                          loadFloats(out.floatBias! + c))
                    if out.relu { f = _mm256_max_ps(f, _mm256_setzero_ps()) }
                    if count == 8 { destination.storeBytes(of: f, as: __m256.self); break }
                    buffer.storeBytes(of: f, as: __m256.self)
                    destination.copyMemory(from: buffer, byteCount: 4 * count)
                }
                j += 8
            }
        }
    }
}

/// The AVX2 int8 micro-kernel: a 6×16 tile of exact int8 dot products in twelve int32
/// registers, through `vpmaddwd` on operands widened to int16.
///
/// Why not `vpmaddubsw`: it multiplies unsigned by signed bytes but adds each pair of products
/// into an int16 *with saturation*; with activations up to 255 and weights down to −128 a pair
/// reaches 2·255·128 = 65 280, far past 32 767, and the sum is silently clamped. MLAS and
/// oneDNN accept that or ask for 7-bit weights ("reduce range"), which changes the model;
/// splitting the activations into two 4-bit halves stays exact but needs two `vpmaddubsw` per
/// product pair and then loses to fp32. This kernel instead takes both operands pre-widened to
/// int16 (the weights once, when they are packed; the activations per call, which is cheap):
/// `vpmaddwd` multiplies 16 int16 pairs and adds each pair into an int32 exactly
/// (|2·128·128| < 2³¹), 16 multiply-adds per instruction — as many per multiply instruction as
/// the `vpmaddubsw` + `vpmaddwd` pair gets, without the clamp. (XNNPACK's AVX2 int8 kernels
/// take the same route.) CPUs with AVX-VNNI run `vpdpbusd` on ymm instead
/// (`_SlimKernelsAVXVNNI`).
///
/// Row `r` of the activations (widened to int16, in pairs) starts at `a + r·lda`
/// (rows past `rows` re-read row 0); `b` holds 16 output channels of signed weights as int16
/// pairs, `[pairs][16][2]`. Each step broadcasts one row's pair and multiplies it with 8
/// channels' pairs per register. The sums start at `initial[0..<16]` and are stored to `c`
/// (rows `ldc` apart).
@inline(never)
func avx2Int8Tile6x16(
    pairs: Int, a: UnsafeRawPointer, lda: Int, rows: Int, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let i0 = UnsafeRawPointer(initial).loadUnaligned(as: __m256i.self)
    let i1 = UnsafeRawPointer(initial + 8).loadUnaligned(as: __m256i.self)
    var c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1
    var c30 = i0, c31 = i1, c40 = i0, c41 = i1, c50 = i0, c51 = i1
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    var offset = 0
    var bp = b
    for _ in 0..<pairs {
        let b0 = bp.loadUnaligned(as: __m256i.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: __m256i.self)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m256i {
            _mm256_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var x = broadcast(r0)
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, b0)); c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, b1))
        x = broadcast(r1)
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, b0)); c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, b1))
        x = broadcast(r2)
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, b0)); c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, b1))
        x = broadcast(r3)
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, b0)); c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, b1))
        x = broadcast(r4)
        c40 = _mm256_add_epi32(c40, _mm256_madd_epi16(x, b0)); c41 = _mm256_add_epi32(c41, _mm256_madd_epi16(x, b1))
        x = broadcast(r5)
        c50 = _mm256_add_epi32(c50, _mm256_madd_epi16(x, b0)); c51 = _mm256_add_epi32(c51, _mm256_madd_epi16(x, b1))
        offset &+= 4
        bp += 64
    }
    @inline(__always) func store(_ r: Int, _ v0: __m256i, _ v1: __m256i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        p.storeBytes(of: v0, as: __m256i.self)
        p.storeBytes(of: v1, toByteOffset: 32, as: __m256i.self)
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
    store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
}
#endif
