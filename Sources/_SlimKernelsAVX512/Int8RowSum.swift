#if arch(x86_64)
import _Builtin_intrinsics.intel

/// `Σₚ a[p]` over one row of int8 codes, 64 at a time (`int8RowSum`, exactly): each byte is
/// flipped to `a + 128` (one `vpxord`), and `vpsadbw` against zero adds eight of those unsigned
/// bytes into each 64-bit lane; the `128` per byte read is taken back out at the end. The
/// last bytes are read under a mask (the masked-off bytes read as 0, so flip to 128 and count
/// as read). Measured on Zen 5: the row sums took 9 % of a 1797×64→128 product when summed
/// through widening adds, about a quarter of that this way.
///
/// Only call where the CPU has AVX-512 F/BW (see `KernelPath` in SlimKernels).
@inline(never)
public func avx512Int8RowSum(_ row: UnsafePointer<Int8>, _ k: Int) -> Int32 {
    let flip = _mm512_set1_epi8(-128), zero = _mm512_setzero_si512()
    var sums = zero
    var p = 0
    while p &+ 64 <= k {
        sums = _mm512_add_epi64(sums, _mm512_sad_epu8(_mm512_xor_si512(_mm512_loadu_si512(row + p), flip), zero))
        p &+= 64
    }
    if p < k {
        let mask = __mmask64(truncatingIfNeeded: (UInt64(1) << UInt64(k - p)) &- 1)
        sums = _mm512_add_epi64(sums, _mm512_sad_epu8(_mm512_xor_si512(_mm512_maskz_loadu_epi8(mask, row + p), flip), zero))
        p &+= 64
    }
    let total = unsafeBitCast(sums, to: SIMD8<Int64>.self).wrappedSum()
    return Int32(truncatingIfNeeded: total &- 128 &* Int64(p))
}
#endif
