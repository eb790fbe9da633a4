#if arch(x86_64)
import _Builtin_intrinsics.intel
import _SlimKernelsShared

/// One Adam step on AVX2, 8 parameters at a time, with SlimKernels' `adamUpdate` arithmetic
/// operation for operation (see `avx512AdamUpdate`); the last parameters one at a time with
/// the same operations.
///
/// Only call where the CPU has AVX2 (see `KernelPath` in SlimKernels).
@inline(never)
public func avx2AdamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                           _ v: UnsafeMutablePointer<Float>, count: Int, decay: Float, beta1: Float, beta2: Float,
                           step: Float, correction2: Float, epsilon: Float) {
    @inline(__always) func load(_ p: UnsafePointer<Float>) -> __m256 { UnsafeRawPointer(p).loadUnaligned(as: __m256.self) }
    @inline(__always) func store(_ x: __m256, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: x, as: __m256.self)
    }
    let lambda = _mm256_set1_ps(decay), b1 = _mm256_set1_ps(beta1), b2 = _mm256_set1_ps(beta2)
    let c1 = _mm256_set1_ps(1 - beta1), c2 = _mm256_set1_ps(1 - beta2)
    let s = _mm256_set1_ps(step), correction = _mm256_set1_ps(correction2), e = _mm256_set1_ps(epsilon)
    let zero = _mm256_setzero_ps()
    var i = 0
    while i + 8 <= count {
        let wv = load(w + i)
        let grad = _mm256_add_ps(load(g + i), _mm256_mul_ps(lambda, wv))
        let mi = _mm256_add_ps(_mm256_mul_ps(b1, load(m + i)), _mm256_mul_ps(c1, grad))
        let vi = _mm256_add_ps(_mm256_mul_ps(b2, load(v + i)), _mm256_mul_ps(_mm256_mul_ps(c2, grad), grad))
        store(mi, m + i)
        store(vi, v + i)
        let root = _mm256_sqrt_ps(_mm256_max_ps(zero, _mm256_div_ps(vi, correction)))
        store(_mm256_sub_ps(wv, _mm256_div_ps(_mm256_mul_ps(s, mi), _mm256_add_ps(root, e))), w + i)
        i += 8
    }
    adamSteps(w + i, g + i, m + i, v + i, count: count - i, decay: decay, beta1: beta1, beta2: beta2,
              step: step, correction2: correction2, epsilon: epsilon)
}
#endif
