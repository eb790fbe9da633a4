#if canImport(Glibc)
import Glibc
#endif

/// Row-wise softmax with temperature: `y[i, j] = exp((x[i, j] − mᵢ)/T) / Σⱼ exp((x[i, j] − mᵢ)/T)`,
/// where `mᵢ` is the row maximum. Subtracting the maximum first keeps every exponent ≤ 0, so
/// logits of ±1e4 give no overflow, NaN or inf. `y` may be `x` (in place). `T` must be > 0.
public func softmax(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    rows: Int, columns: Int, temperature: Float = 1
) {
    precondition(temperature > 0, "softmax: temperature must be > 0, got \(temperature)")
    if columns <= 0 { return }
    let inverseT = 1 / temperature
    for i in 0..<rows {
        let xr = x + i * columns, yr = y + i * columns
        let sum = exponentiateRow(xr, columns, maximum: rowMaximum(xr, columns), scale: inverseT, into: yr)
        scaleRow(yr, columns, by: 1 / sum)
    }
}

/// Row-wise log-softmax with temperature: `y[i, j] = (x[i, j] − mᵢ)/T − log Σⱼ exp((x[i, j] − mᵢ)/T)`,
/// computed without forming the probabilities, so it stays finite where softmax underflows to 0.
/// `y` may be `x` (in place). `T` must be > 0.
public func logSoftmax(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    rows: Int, columns: Int, temperature: Float = 1
) {
    precondition(temperature > 0, "logSoftmax: temperature must be > 0, got \(temperature)")
    if columns <= 0 { return }
    let inverseT = 1 / temperature
    for i in 0..<rows {
        let xr = x + i * columns, yr = y + i * columns
        let m = rowMaximum(xr, columns)
        let logSum = logf(exponentiateRow(xr, columns, maximum: m, scale: inverseT, into: nil))
        var j = 0
        while j + 16 <= columns {
            let v = (loadVector(xr + j) - m) * inverseT - logSum
            UnsafeMutableRawPointer(yr + j).storeBytes(of: v, as: SIMD16<Float>.self)
            j += 16
        }
        if j < columns {
            let v = (partialVector(xr + j, columns - j, fill: m) - m) * inverseT - logSum
            storePartial(v, yr + j, columns - j)
        }
    }
}

/// The largest of `count` values (NaN ignored; −inf if none).
@inline(__always)
func rowMaximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var best = SIMD16<Float>(repeating: -.infinity)
    var j = 0
    while j + 16 <= count {
        let v = loadVector(x + j)
        best.replace(with: v, where: v .> best)
        j += 16
    }
    if j < count {
        let v = partialVector(x + j, count - j, fill: -.infinity)
        best.replace(with: v, where: v .> best)
    }
    return laneMaximum(best)
}

/// `Σⱼ exp((x[j] − maximum)·scale)`, writing each exponential to `out` when given.
@inline(__always)
func exponentiateRow(
    _ x: UnsafePointer<Float>, _ count: Int, maximum m: Float, scale: Float,
    into out: UnsafeMutablePointer<Float>?
) -> Float {
    var sum = SIMD16<Float>()
    var j = 0
    while j + 16 <= count {
        let e = exponential((loadVector(x + j) - m) * scale)
        if let out { UnsafeMutableRawPointer(out + j).storeBytes(of: e, as: SIMD16<Float>.self) }
        sum += e
        j += 16
    }
    if j < count {
        // Padding lanes hold −inf, whose exponential is exactly 0.
        let e = exponential((partialVector(x + j, count - j, fill: -.infinity) - m) * scale)
        if let out { storePartial(e, out + j, count - j) }
        sum += e
    }
    return laneSum(sum)
}

/// `x[j] *= factor` for `count` values.
@inline(__always)
func scaleRow(_ x: UnsafeMutablePointer<Float>, _ count: Int, by factor: Float) {
    var j = 0
    while j + 16 <= count {
        let v = loadVector(x + j) * factor
        UnsafeMutableRawPointer(x + j).storeBytes(of: v, as: SIMD16<Float>.self)
        j += 16
    }
    while j < count { x[j] *= factor; j += 1 }
}

/// The readable definition of `softmax`, in Double.
public func softmaxReference(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    rows: Int, columns: Int, temperature: Float = 1
) {
    for i in 0..<rows {
        let row = (0..<columns).map { Double(x[i * columns + $0]) }
        let m = row.max() ?? 0
        let e = row.map { exp(($0 - m) / Double(temperature)) }
        let s = e.reduce(0, +)
        for j in 0..<columns { y[i * columns + j] = Float(e[j] / s) }
    }
}

/// The readable definition of `logSoftmax`, in Double.
public func logSoftmaxReference(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    rows: Int, columns: Int, temperature: Float = 1
) {
    for i in 0..<rows {
        let row = (0..<columns).map { Double(x[i * columns + $0]) / Double(temperature) }
        let m = row.max() ?? 0
        let logSum = log(row.map { exp($0 - m) }.reduce(0, +))
        for j in 0..<columns { y[i * columns + j] = Float(row[j] - m - logSum) }
    }
}

extension Tensor where Element == Float {
    /// Softmax over the last dimension, at temperature `T`.
    public func softmax(temperature: Float = 1) -> Tensor<Float> {
        let columns = shape.last ?? 1, rows = columns == 0 ? 0 : count / columns
        return Tensor(shape: shape) { y in
            withUnsafeBufferPointer { x in
                SlimKernels.softmax(x.baseAddress!, y.baseAddress!, rows: rows, columns: columns,
                                    temperature: temperature)
            }
        }
    }

    /// Log-softmax over the last dimension, at temperature `T`.
    public func logSoftmax(temperature: Float = 1) -> Tensor<Float> {
        let columns = shape.last ?? 1, rows = columns == 0 ? 0 : count / columns
        return Tensor(shape: shape) { y in
            withUnsafeBufferPointer { x in
                SlimKernels.logSoftmax(x.baseAddress!, y.baseAddress!, rows: rows, columns: columns,
                                       temperature: temperature)
            }
        }
    }
}
