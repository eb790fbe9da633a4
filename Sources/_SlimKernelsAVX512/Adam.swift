#if arch(x86_64)
import _Builtin_intrinsics.intel

/// One Adam step on AVX-512, 16 parameters at a time, with SlimKernels' `adamUpdate`
/// arithmetic operation for operation (every one a correctly rounded IEEE operation, none
/// fused, so the same bits):
///
///     g' = g + λ·w;  m = β₁·m + (1 − β₁)·g';  v = β₂·v + ((1 − β₂)·g')·g'
///     w = w − (s·m) / (√max(v / c₂, 0) + ε)
///
/// `vmaxps(0, x)` returns x when x is NaN or −0, as `x < 0 ? 0 : x` does. The last
/// parameters use masked loads and stores.
///
/// Only call where the CPU has AVX-512 F (see `KernelPath` in SlimKernels).
@inline(never)
public func avx512AdamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ v: UnsafeMutablePointer<Float>, count: Int, decay: Float, beta1: Float, beta2: Float,
                             step: Float, correction2: Float, epsilon: Float) {
    let lambda = _mm512_set1_ps(decay), b1 = _mm512_set1_ps(beta1), b2 = _mm512_set1_ps(beta2)
    let c1 = _mm512_set1_ps(1 - beta1), c2 = _mm512_set1_ps(1 - beta2)
    let s = _mm512_set1_ps(step), correction = _mm512_set1_ps(correction2), e = _mm512_set1_ps(epsilon)
    let zero = _mm512_setzero_ps()
    var i = 0
    while i < count {
        let mask = __mmask16(truncatingIfNeeded: (1 << min(16, count - i)) &- 1)
        let wv = _mm512_maskz_loadu_ps(mask, w + i)
        let grad = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, g + i), _mm512_mul_ps(lambda, wv))
        let mi = _mm512_add_ps(_mm512_mul_ps(b1, _mm512_maskz_loadu_ps(mask, m + i)), _mm512_mul_ps(c1, grad))
        let vi = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_maskz_loadu_ps(mask, v + i)),
                               _mm512_mul_ps(_mm512_mul_ps(c2, grad), grad))
        _mm512_mask_storeu_ps(m + i, mask, mi)
        _mm512_mask_storeu_ps(v + i, mask, vi)
        let root = _mm512_sqrt_ps(_mm512_max_ps(zero, _mm512_div_ps(vi, correction)))
        let update = _mm512_div_ps(_mm512_mul_ps(s, mi), _mm512_add_ps(root, e))
        _mm512_mask_storeu_ps(w + i, mask, _mm512_sub_ps(wv, update))
        i += 16
    }
}
#endif
