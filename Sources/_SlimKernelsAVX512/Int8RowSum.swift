#if arch(x86_64)
import _Builtin_intrinsics.intel

/// `Σₚ a[i, p]` for `rows` rows of int8 codes (rows `lda` apart), as `int8RowSum` gives them,
/// exactly. Each byte is flipped to `a + 128` (one `vpxord`) and `vpsadbw` against zero adds
/// eight of those unsigned bytes into each 64-bit lane, 64 bytes a step; the last bytes of a row
/// are read under a mask (the masked-off bytes read as 0, flip to 128, and are counted as read,
/// so the `128` per byte taken back out at the end covers them). Eight rows go at once, their
/// eight lane vectors added across in one tree of shuffles (`vpunpck*qdq`, `vpermt2q`) instead
/// of eight reductions.
///
/// Measured on Zen 5 (1797×64→128, one thread): the row sums took 9 % of the product summed
/// through widening adds, 5 % one row and one reduction at a time this way, 2 % eight at once.
///
/// Only call where the CPU has AVX-512 F/BW (see `KernelPath` in SlimKernels).
@inline(never)
public func avx512Int8RowSums(_ a: UnsafePointer<Int8>, _ lda: Int, _ rows: Int, _ k: Int,
                              _ sums: UnsafeMutablePointer<Int32>) {
    let flip = _mm512_set1_epi8(-128), zero = _mm512_setzero_si512()
    let whole = k / 64 * 64, tail = __mmask64(truncatingIfNeeded: (UInt64(1) << UInt64(k - whole)) &- 1)
    let read = Int64(whole + (k > whole ? 64 : 0))
    /// The lane sums of `a + 128` over row `r`, 8 lanes of 64 bits.
    @inline(__always) func lanes(_ r: Int) -> __m512i {
        let row = a + r &* lda
        var s = zero
        var p = 0
        while p < whole {
            s = _mm512_add_epi64(s, _mm512_sad_epu8(_mm512_xor_si512(_mm512_loadu_si512(row + p), flip), zero))
            p &+= 64
        }
        if k > whole {
            s = _mm512_add_epi64(s, _mm512_sad_epu8(_mm512_xor_si512(_mm512_maskz_loadu_epi8(tail, row + whole), flip), zero))
        }
        return s
    }
    let correction = _mm512_set1_epi64(128 &* read)
    let low: __m512i = SIMD8<Int64>(0, 1, 4, 5, 8, 9, 12, 13)
    let high: __m512i = SIMD8<Int64>(2, 3, 6, 7, 10, 11, 14, 15)
    @inline(__always) func pair(_ x: __m512i, _ y: __m512i) -> __m512i {
        _mm512_add_epi64(_mm512_unpacklo_epi64(x, y), _mm512_unpackhi_epi64(x, y))
    }
    @inline(__always) func fold(_ x: __m512i, _ y: __m512i) -> __m512i {
        _mm512_add_epi64(_mm512_permutex2var_epi64(x, low, y), _mm512_permutex2var_epi64(x, high, y))
    }
    var r = 0
    while r + 8 <= rows {
        // pair: [r0 r1] sums of lanes 2i and 2i+1; fold twice: rows 0…3 then 0…7 in lane order.
        let q0 = fold(pair(lanes(r), lanes(r + 1)), pair(lanes(r + 2), lanes(r + 3)))
        let q1 = fold(pair(lanes(r + 4), lanes(r + 5)), pair(lanes(r + 6), lanes(r + 7)))
        let totals = _mm512_sub_epi64(fold(q0, q1), correction)
        UnsafeMutableRawPointer(sums + r).storeBytes(of: _mm512_cvtepi64_epi32(totals), as: __m256i.self)
        r += 8
    }
    while r < rows {
        let total = lanes(r).wrappedSum()
        sums[r] = Int32(truncatingIfNeeded: total &- 128 &* read)
        r += 1
    }
}
#endif
