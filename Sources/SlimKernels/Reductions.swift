/// Summary statistics of a buffer of Floats, as one value: what `describe` tables and
/// calibration observers need in one pass of the caller's code.
public struct Statistics: Sendable, Equatable {
    public var count: Int
    public var sum: Float
    public var mean: Float
    public var minimum: Float
    public var maximum: Float
    /// The population variance, `(1/n) Σ (x − mean)²` (NumPy's `var` with `ddof=0`).
    public var variance: Float
    /// `√variance`.
    public var standardDeviation: Float { variance.squareRoot() }

    public init(count: Int, sum: Float, mean: Float, minimum: Float, maximum: Float, variance: Float) {
        self.count = count
        self.sum = sum
        self.mean = mean
        self.minimum = minimum
        self.maximum = maximum
        self.variance = variance
    }
}

/// `Σ x`, accumulated in 64 independent Float lanes then combined in a fixed order: as
/// accurate as pairwise summation for large buffers, and the same bits on every run.
public func sum(_ x: UnsafeBufferPointer<Float>) -> Float {
    guard let p = x.baseAddress else { return 0 }
    let n = x.count
    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
    var i = 0
    while i + 64 <= n {
        a0 += loadVector(p + i)
        a1 += loadVector(p + i + 16)
        a2 += loadVector(p + i + 32)
        a3 += loadVector(p + i + 48)
        i += 64
    }
    var tail: Float = 0
    while i < n { tail += p[i]; i += 1 }
    return laneSum((a0 + a1) + (a2 + a3)) + tail
}

/// `Σ x / n`; 0 for an empty buffer.
public func mean(_ x: UnsafeBufferPointer<Float>) -> Float {
    x.isEmpty ? 0 : sum(x) / Float(x.count)
}

/// The smallest element, ignoring NaN; `+inf` for an empty buffer.
public func minimum(_ x: UnsafeBufferPointer<Float>) -> Float {
    var m = Float.infinity
    for v in x where v < m { m = v }
    return m
}

/// The largest element, ignoring NaN; `−inf` for an empty buffer.
public func maximum(_ x: UnsafeBufferPointer<Float>) -> Float {
    var m = -Float.infinity
    for v in x where v > m { m = v }
    return m
}

/// The largest magnitude `max |x|`, ignoring NaN; 0 for an empty buffer. The range of a
/// symmetric quantizer.
public func maximumMagnitude(_ x: UnsafeBufferPointer<Float>) -> Float {
    var m: Float = 0
    for v in x where abs(v) > m { m = abs(v) }
    return m
}

/// The population variance `(1/n) Σ (x − mean)²`, two-pass so it is exact for data far
/// from zero; 0 for an empty buffer.
public func variance(_ x: UnsafeBufferPointer<Float>) -> Float {
    guard let p = x.baseAddress, x.count > 0 else { return 0 }
    let mu = mean(x)
    let n = x.count
    let m = SIMD16<Float>(repeating: mu)
    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= n {
        let d0 = loadVector(p + i) - m
        let d1 = loadVector(p + i + 16) - m
        a0 += d0 * d0
        a1 += d1 * d1
        i += 32
    }
    var tail: Float = 0
    while i < n { let d = p[i] - mu; tail += d * d; i += 1 }
    return (laneSum(a0 + a1) + tail) / Float(n)
}

/// Count, sum, mean, minimum, maximum and variance of `x`.
public func statistics(_ x: UnsafeBufferPointer<Float>) -> Statistics {
    let s = sum(x)
    return Statistics(count: x.count, sum: s, mean: x.isEmpty ? 0 : s / Float(x.count),
                      minimum: minimum(x), maximum: maximum(x), variance: variance(x))
}

/// The readable definition of `statistics`, accumulated in Double.
public func statisticsReference(_ x: UnsafeBufferPointer<Float>) -> Statistics {
    let values = x.map(Double.init)
    let s = values.reduce(0, +)
    let mu = values.isEmpty ? 0 : s / Double(values.count)
    let v = values.isEmpty ? 0 : values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(values.count)
    return Statistics(count: x.count, sum: Float(s), mean: Float(mu),
                      minimum: Float(values.filter { !$0.isNaN }.min() ?? .infinity),
                      maximum: Float(values.filter { !$0.isNaN }.max() ?? -.infinity),
                      variance: Float(v))
}

extension Tensor where Element == Float {
    /// Count, sum, mean, minimum, maximum and variance of all elements.
    public func statistics() -> Statistics { withUnsafeBufferPointer { SlimKernels.statistics($0) } }
    /// The sum of all elements.
    public func sum() -> Float { withUnsafeBufferPointer { SlimKernels.sum($0) } }
    /// The mean of all elements.
    public func mean() -> Float { withUnsafeBufferPointer { SlimKernels.mean($0) } }
    /// The smallest element.
    public func minimum() -> Float { withUnsafeBufferPointer { SlimKernels.minimum($0) } }
    /// The largest element.
    public func maximum() -> Float { withUnsafeBufferPointer { SlimKernels.maximum($0) } }
    /// The largest magnitude of all elements.
    public func maximumMagnitude() -> Float { withUnsafeBufferPointer { SlimKernels.maximumMagnitude($0) } }
    /// The population variance of all elements.
    public func variance() -> Float { withUnsafeBufferPointer { SlimKernels.variance($0) } }
}
