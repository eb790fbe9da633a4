import _SlimKernelsAVX2
import _SlimKernelsAVX512

/// One Adam step for `count` parameters, in place: with L2 weight decay λ (`decay`), the
/// moments m and v, `step` = η / (1 − β₁ᵗ) and `correction2` = 1 − β₂ᵗ,
///
///     g' = g + λ·w;  m = β₁·m + (1 − β₁)·g';  v = β₂·v + ((1 − β₂)·g')·g'
///     w = w − (step·m) / (√max(v / correction2, 0) + ε)
///
/// in that order, every operation a correctly rounded IEEE one and none fused, so every path
/// (AVX-512, AVX2, the baseline loop) gives the same bits. Large tensors are split over `pool`'s
/// threads (each parameter is updated on its own, so that does not change the bits either).
public func adamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                       _ v: UnsafeMutablePointer<Float>, count: Int, decay: Float, beta1: Float, beta2: Float,
                       step: Float, correction2: Float, epsilon: Float, path: KernelPath = .best,
                       pool: ComputePool? = nil) {
    precondition(path.isAvailable, "adamUpdate: the \(path.rawValue) path is not available on this machine/build")
    // About 30 µs of memory-bound work per task: below that, waking a thread costs more.
    let chunk = 1 << 16
    if let pool, pool.threadCount > 1, count >= 2 * chunk {
        pool.parallelFor((count + chunk - 1) / chunk) { task in
            let start = task * chunk
            adamUpdate(w + start, g + start, m + start, v + start,
                       count: min(chunk, count - start), decay: decay, beta1: beta1, beta2: beta2, step: step,
                       correction2: correction2, epsilon: epsilon, path: path)
        }
        return
    }
    switch path {
    case .avx512:
        #if arch(x86_64)
        avx512AdamUpdate(w, g, m, v, count: count, decay: decay, beta1: beta1, beta2: beta2, step: step,
                         correction2: correction2, epsilon: epsilon)
        #endif
    case .avx2:
        #if arch(x86_64)
        avx2AdamUpdate(w, g, m, v, count: count, decay: decay, beta1: beta1, beta2: beta2, step: step,
                       correction2: correction2, epsilon: epsilon)
        #endif
    case .generic:
        genericAdamUpdate(w, g, m, v, count: count, decay: decay, beta1: beta1, beta2: beta2, step: step,
                          correction2: correction2, epsilon: epsilon)
    }
}

/// `adamUpdate` on the baseline: a plain loop LLVM vectorizes. The square root's argument is
/// clamped at 0 (v is never negative, so nothing changes), which tells the compiler no `errno`
/// path is needed and lets it use the vector square root — the unclamped form calls `sqrtf`
/// lane by lane.
func genericAdamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                       _ v: UnsafeMutablePointer<Float>, count: Int, decay: Float, beta1: Float, beta2: Float,
                       step: Float, correction2: Float, epsilon: Float) {
    let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
    for i in 0..<count {
        let grad = g[i] + decay * w[i]
        let mi = beta1 * m[i] + oneMinusBeta1 * grad
        let vi = beta2 * v[i] + oneMinusBeta2 * grad * grad
        m[i] = mi
        v[i] = vi
        let scaled = vi / correction2
        w[i] -= step * mi / ((scaled < 0 ? 0 : scaled).squareRoot() + epsilon)
    }
}
