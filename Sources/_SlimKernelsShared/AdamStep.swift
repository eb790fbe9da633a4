/// One Adam step for `count` parameters, one at a time: the arithmetic every path of
/// SlimKernels' `adamUpdate` follows (the kernel targets call it for their last parameters).
/// The square root's argument is clamped at 0 (v is never negative, so nothing changes), which
/// tells the compiler no `errno` path is needed and lets it vectorize with the vector square
/// root — the unclamped form calls `sqrtf` lane by lane.
@inlinable @inline(__always)
public func adamSteps(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
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
