#if arch(x86_64)
import _Builtin_intrinsics.intel

/// `Σₚ a[i, p]` for `rows` rows of int8 codes (rows `lda` apart), as `int8RowSum` gives them,
/// exactly: each byte is flipped to `a + 128`, `vpsadbw` against zero adds eight of those
/// unsigned bytes into each 64-bit lane, 32 bytes a step, and the `128` per byte is taken back
/// out at the end; the last `k mod 32` bytes of a row are added one by one. (See
/// `avx512Int8RowSums`.)
///
/// Only call where the CPU has AVX2 (see `KernelPath` in SlimKernels).
@inline(never)
public func avx2Int8RowSums(_ a: UnsafePointer<Int8>, _ lda: Int, _ rows: Int, _ k: Int,
                            _ sums: UnsafeMutablePointer<Int32>) {
    let flip = _mm256_set1_epi8(-128), zero = _mm256_setzero_si256()
    let whole = k / 32 * 32
    for r in 0..<rows {
        let row = a + r &* lda
        var s = zero
        var p = 0
        while p < whole {
            let bytes = UnsafeRawPointer(row + p).loadUnaligned(as: __m256i.self)
            s = _mm256_add_epi64(s, _mm256_sad_epu8(_mm256_xor_si256(bytes, flip), zero))
            p &+= 32
        }
        var total = s.wrappedSum() &- 128 &* Int64(whole)
        while p < k { total &+= Int64(row[p]); p &+= 1 }
        sums[r] = Int32(truncatingIfNeeded: total)
    }
}
#endif
