#if arch(x86_64)
import _Builtin_intrinsics.intel
import _SlimKernelsShared

/// One task of the int8 GEMM on AVX-512 VNNI (see `runInt8Task`): activations as signed bytes
/// read in place, 12-row tiles, 32-column panels of `w + 128` in 4-byte groups
/// (`[k/4][32][4]`).
///
/// Only call where the CPU has AVX-512 F/BW/VL and VNNI (see `KernelPath` in SlimKernels).
@inline(never)
public func avx512Int8Task(_ task: Int8Task, _ output: Int8Output) {
    runInt8Task(task, output, operands: .groups, mr: 12, panelWidth: 32, rowSums: avx512Int8RowSums,
                epilogue: avx512Int8Epilogue) { steps, a, lda, rows, rowSums, b, columns, initial, c, ldc in
        if columns <= 16 {
            vnniTile12x16(groups: steps, a: a, lda: lda, rows: rows, rowSums: rowSums, b: b, initial: initial, c: c, ldc: ldc)
        } else if rows > 8 {
            vnniTile12x32(groups: steps, a: a, lda: lda, rows: rows, rowSums: rowSums, b: b, initial: initial, c: c, ldc: ldc)
        } else {
            // A last tile of 8 rows or fewer in 4-row pieces: 256 rows end in a tile of 4, which
            // the 12-row kernel would compute three times over.
            var r = 0
            while r < rows {
                vnniTile4x32(groups: steps, a: a + r * lda, lda: lda, rows: min(4, rows - r), rowSums: rowSums + r, b: b,
                             initial: initial, c: c + r * ldc, ldc: ldc)
                r += 4
            }
        }
    }
}

/// The AVX-512 epilogue of an int8 tile (`int8Epilogue`'s arithmetic, 16 columns per step):
/// `vcvtdq2ps` and `vcvtps2dq` round half to even (the default MXCSR), `vmulps` and `vaddps`
/// stay unfused as in the reference, `vmaxps(v, 0)` gives +0 for −0 and NaN as `!(v > 0)`
/// does, and masked stores write the last columns.
@inline(never)
func avx512Int8Epilogue(_ tile: UnsafeMutablePointer<Int32>, _ ld: Int, _ rows: Int, _ columns: Int, _ row0: Int,
                        _ column0: Int, _ weightZeroPoints: UnsafePointer<Int32>?, _ rowSums: UnsafePointer<Int32>,
                        _ out: Int8Output) {
    @inline(__always) func load(_ p: UnsafeRawPointer) -> __m512i { _mm512_loadu_si512(p) }
    let limit = _mm512_set1_ps(4_194_304), zero = _mm512_set1_epi32(Int32(out.zero))
    let low = _mm512_set1_epi32(Int32(out.low)), high = _mm512_set1_epi32(Int32(out.high))
    for i in 0..<rows {
        let acc = tile + i * ld, row = row0 + i
        var j = 0
        while j < columns {
            let mask = __mmask16(truncatingIfNeeded: (1 << min(16, columns - j)) &- 1)
            var t = load(acc + j)
            if let zeros = weightZeroPoints {
                t = _mm512_sub_epi32(t, _mm512_mullo_epi32(load(zeros + column0 + j), _mm512_set1_epi32(rowSums[i])))
            }
            let c = column0 + j
            switch out.kind {
            case .int32:
                _mm512_mask_storeu_epi32(out.c + 4 * (row * out.ldc + c), mask, t)
            case .int8:
                t = _mm512_add_epi32(t, load(out.integerBias! + c))
                var f = _mm512_mul_ps(_mm512_cvtepi32_ps(t), _mm512_loadu_ps(out.multipliers! + c))
                f = _mm512_min_ps(_mm512_max_ps(f, _mm512_sub_ps(_mm512_setzero_ps(), limit)), limit)
                let q = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(f), zero), low), high)
                _mm512_mask_cvtepi32_storeu_epi8(out.c + (row * out.ldc + c), mask, q)
            case .float:
                var f = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(t), _mm512_loadu_ps(out.scales! + c)),
                                      _mm512_loadu_ps(out.floatBias! + c))
                if out.relu { f = _mm512_max_ps(f, _mm512_setzero_ps()) }
                _mm512_mask_storeu_ps(out.c + 4 * (row * out.ldc + c), mask, f)
            }
            j += 16
        }
    }
}

/// The AVX-512 VNNI int8 micro-kernel: a 12×32 tile of exact `u8 × s8` dot products in 24
/// registers.
///
/// Row `r` of the activations (signed bytes) starts at `a + r·lda` (rows past `rows` re-read
/// row 0); `b` holds 32 output channels of `w + 128` as `[groups][32][4]` unsigned bytes. Each
/// step broadcasts one row's 4 bytes and `vpdpbusd` multiplies them with the 4 bytes of 16
/// channels at once, adding the four products into each channel's int32 lane (wrapping, never
/// saturating). Row `r`'s sums plus `initial[0..<32] − 128·rowSums[r]` (which takes the +128 of
/// the weights back out) are stored to `c` (rows `ldc` apart).
@inline(never)
func vnniTile12x32(
    groups: Int, a: UnsafeRawPointer, lda: Int, rows: Int, rowSums: UnsafePointer<Int32>, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    // A whole tile, the common case, compiled with its row count known: no row clamping.
    if rows == 12 {
        vnniTile12x32Body(groups: groups, a: a, lda: lda, rows: 12, rowSums: rowSums, b: b, initial: initial, c: c, ldc: ldc)
    } else {
        vnniTile12x32Body(groups: groups, a: a, lda: lda, rows: rows, rowSums: rowSums, b: b, initial: initial, c: c, ldc: ldc)
    }
}

@inline(__always)
func vnniTile12x32Body(
    groups: Int, a: UnsafeRawPointer, lda: Int, rows: Int, rowSums: UnsafePointer<Int32>, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let zero = _mm512_setzero_si512()
    var c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero
    var c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero
    var c60 = zero, c61 = zero, c70 = zero, c71 = zero, c80 = zero, c81 = zero
    var c90 = zero, c91 = zero, ca0 = zero, ca1 = zero, cb0 = zero, cb1 = zero
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    let r6 = rowStart(6), r7 = rowStart(7), r8 = rowStart(8), r9 = rowStart(9), ra = rowStart(10), rb = rowStart(11)
    var offset = 0
    var bp = b
    for _ in 0..<groups {
        let b0 = _mm512_loadu_si512(bp), b1 = _mm512_loadu_si512(bp + 64)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m512i {
            _mm512_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var x = broadcast(r0)
        c00 = _mm512_dpbusd_epi32(c00, b0, x); c01 = _mm512_dpbusd_epi32(c01, b1, x)
        x = broadcast(r1)
        c10 = _mm512_dpbusd_epi32(c10, b0, x); c11 = _mm512_dpbusd_epi32(c11, b1, x)
        x = broadcast(r2)
        c20 = _mm512_dpbusd_epi32(c20, b0, x); c21 = _mm512_dpbusd_epi32(c21, b1, x)
        x = broadcast(r3)
        c30 = _mm512_dpbusd_epi32(c30, b0, x); c31 = _mm512_dpbusd_epi32(c31, b1, x)
        x = broadcast(r4)
        c40 = _mm512_dpbusd_epi32(c40, b0, x); c41 = _mm512_dpbusd_epi32(c41, b1, x)
        x = broadcast(r5)
        c50 = _mm512_dpbusd_epi32(c50, b0, x); c51 = _mm512_dpbusd_epi32(c51, b1, x)
        x = broadcast(r6)
        c60 = _mm512_dpbusd_epi32(c60, b0, x); c61 = _mm512_dpbusd_epi32(c61, b1, x)
        x = broadcast(r7)
        c70 = _mm512_dpbusd_epi32(c70, b0, x); c71 = _mm512_dpbusd_epi32(c71, b1, x)
        x = broadcast(r8)
        c80 = _mm512_dpbusd_epi32(c80, b0, x); c81 = _mm512_dpbusd_epi32(c81, b1, x)
        x = broadcast(r9)
        c90 = _mm512_dpbusd_epi32(c90, b0, x); c91 = _mm512_dpbusd_epi32(c91, b1, x)
        x = broadcast(ra)
        ca0 = _mm512_dpbusd_epi32(ca0, b0, x); ca1 = _mm512_dpbusd_epi32(ca1, b1, x)
        x = broadcast(rb)
        cb0 = _mm512_dpbusd_epi32(cb0, b0, x); cb1 = _mm512_dpbusd_epi32(cb1, b1, x)
        offset &+= 4
        bp += 128
    }
    // The starting values are added last: the loop starts at once from zeroed registers.
    let i0 = _mm512_loadu_si512(UnsafeRawPointer(initial)), i1 = _mm512_loadu_si512(UnsafeRawPointer(initial + 16))
    @inline(__always) func store(_ r: Int, _ v0: __m512i, _ v1: __m512i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        let shift = _mm512_set1_epi32(rowSums[r < rows ? r : 0] &<< 7)
        _mm512_storeu_si512(p, _mm512_sub_epi32(_mm512_add_epi32(v0, i0), shift))
        _mm512_storeu_si512(p + 64, _mm512_sub_epi32(_mm512_add_epi32(v1, i1), shift))
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
    store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    store(8, c80, c81); store(9, c90, c91); store(10, ca0, ca1); store(11, cb0, cb1)
}

/// The 4×32 variant of `vnniTile12x32`, for the last rows of a block.
@inline(never)
func vnniTile4x32(
    groups: Int, a: UnsafeRawPointer, lda: Int, rows: Int, rowSums: UnsafePointer<Int32>, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let zero = _mm512_setzero_si512()
    var c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3)
    var offset = 0
    var bp = b
    for _ in 0..<groups {
        let b0 = _mm512_loadu_si512(bp), b1 = _mm512_loadu_si512(bp + 64)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m512i {
            _mm512_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var x = broadcast(r0)
        c00 = _mm512_dpbusd_epi32(c00, b0, x); c01 = _mm512_dpbusd_epi32(c01, b1, x)
        x = broadcast(r1)
        c10 = _mm512_dpbusd_epi32(c10, b0, x); c11 = _mm512_dpbusd_epi32(c11, b1, x)
        x = broadcast(r2)
        c20 = _mm512_dpbusd_epi32(c20, b0, x); c21 = _mm512_dpbusd_epi32(c21, b1, x)
        x = broadcast(r3)
        c30 = _mm512_dpbusd_epi32(c30, b0, x); c31 = _mm512_dpbusd_epi32(c31, b1, x)
        offset &+= 4
        bp += 128
    }
    let i0 = _mm512_loadu_si512(UnsafeRawPointer(initial)), i1 = _mm512_loadu_si512(UnsafeRawPointer(initial + 16))
    @inline(__always) func store(_ r: Int, _ v0: __m512i, _ v1: __m512i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        let shift = _mm512_set1_epi32(rowSums[r < rows ? r : 0] &<< 7)
        _mm512_storeu_si512(p, _mm512_sub_epi32(_mm512_add_epi32(v0, i0), shift))
        _mm512_storeu_si512(p + 64, _mm512_sub_epi32(_mm512_add_epi32(v1, i1), shift))
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
}

/// The 12×16 variant of `vnniTile12x32` for a last panel with at most 16 valid channels: the
/// same packed layout (groups still 128 bytes apart), half the work.
@inline(never)
func vnniTile12x16(
    groups: Int, a: UnsafeRawPointer, lda: Int, rows: Int, rowSums: UnsafePointer<Int32>, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let i0 = _mm512_loadu_si512(UnsafeRawPointer(initial))
    @inline(__always) func start(_ r: Int) -> __m512i {
        _mm512_sub_epi32(i0, _mm512_set1_epi32(rowSums[r < rows ? r : 0] &<< 7))
    }
    var c0 = start(0), c1 = start(1), c2 = start(2), c3 = start(3), c4 = start(4), c5 = start(5)
    var c6 = start(6), c7 = start(7), c8 = start(8), c9 = start(9), ca = start(10), cb = start(11)
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    let r6 = rowStart(6), r7 = rowStart(7), r8 = rowStart(8), r9 = rowStart(9), ra = rowStart(10), rb = rowStart(11)
    var offset = 0
    var bp = b
    for _ in 0..<groups {
        let b0 = _mm512_loadu_si512(bp)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m512i {
            _mm512_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        c0 = _mm512_dpbusd_epi32(c0, b0, broadcast(r0)); c1 = _mm512_dpbusd_epi32(c1, b0, broadcast(r1))
        c2 = _mm512_dpbusd_epi32(c2, b0, broadcast(r2)); c3 = _mm512_dpbusd_epi32(c3, b0, broadcast(r3))
        c4 = _mm512_dpbusd_epi32(c4, b0, broadcast(r4)); c5 = _mm512_dpbusd_epi32(c5, b0, broadcast(r5))
        c6 = _mm512_dpbusd_epi32(c6, b0, broadcast(r6)); c7 = _mm512_dpbusd_epi32(c7, b0, broadcast(r7))
        c8 = _mm512_dpbusd_epi32(c8, b0, broadcast(r8)); c9 = _mm512_dpbusd_epi32(c9, b0, broadcast(r9))
        ca = _mm512_dpbusd_epi32(ca, b0, broadcast(ra)); cb = _mm512_dpbusd_epi32(cb, b0, broadcast(rb))
        offset &+= 4
        bp += 128
    }
    @inline(__always) func store(_ r: Int, _ v: __m512i) { _mm512_storeu_si512(UnsafeMutableRawPointer(c + r * ldc), v) }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
    store(6, c6); store(7, c7); store(8, c8); store(9, c9); store(10, ca); store(11, cb)
}
#endif
