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
        let m = rowMaximum(xr, columns)
        var sum: Float = 0
        for j in 0..<columns {
            let e = expf((xr[j] - m) * inverseT)
            yr[j] = e
            sum += e
        }
        let inverseSum = 1 / sum
        for j in 0..<columns { yr[j] *= inverseSum }
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
        var sum: Float = 0
        for j in 0..<columns { sum += expf((xr[j] - m) * inverseT) }
        let logSum = logf(sum)
        for j in 0..<columns { yr[j] = (xr[j] - m) * inverseT - logSum }
    }
}

@inline(__always)
func rowMaximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var m = -Float.infinity
    for j in 0..<count where x[j] > m { m = x[j] }
    return m
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
