#if arch(x86_64)
import _Builtin_intrinsics.intel

/// `Σₚ a[p]` over one row of int8 codes, 32 at a time (`int8RowSum`, exactly): each byte is
/// flipped to `a + 128`, `vpsadbw` against zero adds eight of those unsigned bytes into each
/// 64-bit lane, and the `128` per byte is taken back out at the end; the last `k mod 32`
/// bytes are added one by one. (See `avx512Int8RowSum`.)
///
/// Only call where the CPU has AVX2 (see `KernelPath` in SlimKernels).
@inline(never)
public func avx2Int8RowSum(_ row: UnsafePointer<Int8>, _ k: Int) -> Int32 {
    let flip = _mm256_set1_epi8(-128), zero = _mm256_setzero_si256()
    var sums = zero
    var p = 0
    while p &+ 32 <= k {
        let bytes = UnsafeRawPointer(row + p).loadUnaligned(as: __m256i.self)
        sums = _mm256_add_epi64(sums, _mm256_sad_epu8(_mm256_xor_si256(bytes, flip), zero))
        p &+= 32
    }
    var total = unsafeBitCast(sums, to: SIMD4<Int64>.self).wrappedSum() &- 128 &* Int64(p)
    while p < k { total &+= Int64(row[p]); p += 1 }
    return Int32(truncatingIfNeeded: total)
}
#endif
