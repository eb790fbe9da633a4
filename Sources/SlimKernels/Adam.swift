import _SlimKernelsShared
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
        adamSteps(w, g, m, v, count: count, decay: decay, beta1: beta1, beta2: beta2, step: step,
                  correction2: correction2, epsilon: epsilon)
    }
}

