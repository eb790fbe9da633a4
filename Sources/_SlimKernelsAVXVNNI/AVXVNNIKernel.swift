/// Whether this build carries the AVX-VNNI kernel (x86-64 builds do; other architectures
/// compile this target to nothing). Call it only where the CPU has AVX2 and AVX-VNNI: the
/// target is compiled for Haswell plus AVX-VNNI, so its code may use any of those.
public var avxVNNIKernelsCompiled: Bool {
    #if arch(x86_64)
    return true
    #else
    return false
    #endif
}

#if arch(x86_64)
import _Builtin_intrinsics.intel
import _SlimKernelsShared
import _SlimKernelsAVX2

/// One task of the int8 GEMM on AVX-VNNI (see `runInt8Task`): the VEX-encoded, 256-bit
/// `vpdpbusd` of Intel since Alder Lake and AMD since Zen 5, for CPUs that have it without
/// AVX-512. Activations as signed bytes read in place, 6-row tiles, the 32-column panels of
/// `w + 128` of the AVX-512 VNNI layout (`[k/4][32][4]`) taken as two halves of 16.
///
/// Only call where the CPU has AVX2 and AVX-VNNI (see `KernelPath` in SlimKernels).
@inline(never)
public func avxVNNIInt8Task(_ task: Int8Task, _ output: Int8Output) {
    runInt8Task(task, output, operands: .groups, mr: 6, panelWidth: 32, rowSums: avx2Int8RowSums,
                epilogue: avx2Int8Epilogue) { steps, a, lda, rows, rowSums, b, columns, initial, c, ldc in
        avxVNNITile6x16(groups: steps, a: a, lda: lda, rows: rows, rowSums: rowSums, b: b, initial: initial, c: c, ldc: ldc)
        if columns > 16 {
            avxVNNITile6x16(groups: steps, a: a, lda: lda, rows: rows, rowSums: rowSums, b: b + 64, initial: initial + 16,
                            c: c + 16, ldc: ldc)
        }
    }
}


/// A 6×16 tile of exact `u8 × s8` dot products in twelve ymm registers (plus two for the
/// weights and one broadcast: 15 of 16). Row `r` of the activations (signed bytes) starts at
/// `a + r·lda` (rows past `rows` re-read row 0); `b` points at 16 channels of a packed
/// `[groups][32][4]` panel of `w + 128` (groups 128 bytes apart). Each step broadcasts one
/// row's 4 bytes and `vpdpbusd` adds their four products with 8 channels' bytes into each int32
/// lane, exactly. Row `r`'s sums start at `initial[0..<16] − 128·rowSums[r]` and are stored to
/// `c` (rows `ldc` apart).
@inline(never)
func avxVNNITile6x16(
    groups: Int, a: UnsafeRawPointer, lda: Int, rows: Int, rowSums: UnsafePointer<Int32>, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let i0 = UnsafeRawPointer(initial).loadUnaligned(as: __m256i.self)
    let i1 = UnsafeRawPointer(initial + 8).loadUnaligned(as: __m256i.self)
    @inline(__always) func start(_ r: Int, _ v: __m256i) -> __m256i {
        _mm256_sub_epi32(v, _mm256_set1_epi32(rowSums[r < rows ? r : 0] &<< 7))
    }
    var c00 = start(0, i0), c01 = start(0, i1), c10 = start(1, i0), c11 = start(1, i1)
    var c20 = start(2, i0), c21 = start(2, i1), c30 = start(3, i0), c31 = start(3, i1)
    var c40 = start(4, i0), c41 = start(4, i1), c50 = start(5, i0), c51 = start(5, i1)
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    var offset = 0
    var bp = b
    for _ in 0..<groups {
        let b0 = bp.loadUnaligned(as: __m256i.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: __m256i.self)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m256i {
            _mm256_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var x = broadcast(r0)
        c00 = _mm256_dpbusd_avx_epi32(c00, b0, x); c01 = _mm256_dpbusd_avx_epi32(c01, b1, x)
        x = broadcast(r1)
        c10 = _mm256_dpbusd_avx_epi32(c10, b0, x); c11 = _mm256_dpbusd_avx_epi32(c11, b1, x)
        x = broadcast(r2)
        c20 = _mm256_dpbusd_avx_epi32(c20, b0, x); c21 = _mm256_dpbusd_avx_epi32(c21, b1, x)
        x = broadcast(r3)
        c30 = _mm256_dpbusd_avx_epi32(c30, b0, x); c31 = _mm256_dpbusd_avx_epi32(c31, b1, x)
        x = broadcast(r4)
        c40 = _mm256_dpbusd_avx_epi32(c40, b0, x); c41 = _mm256_dpbusd_avx_epi32(c41, b1, x)
        x = broadcast(r5)
        c50 = _mm256_dpbusd_avx_epi32(c50, b0, x); c51 = _mm256_dpbusd_avx_epi32(c51, b1, x)
        offset &+= 4
        bp += 128
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
