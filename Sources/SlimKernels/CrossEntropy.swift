#if canImport(Glibc)
import Glibc
#endif

/// Softmax cross-entropy against class labels, averaged over rows:
/// `loss = −(1/N) Σᵢ log softmax(zᵢ)[yᵢ]`, and its gradient
/// `∂loss/∂zᵢⱼ = (softmax(zᵢ)ⱼ − [j = yᵢ]) / N` written to `logitsGradient` when given.
///
/// Fusing the two is both cheaper and stabler than a softmax followed by a log.
/// Every label must be in `0..<columns`.
@discardableResult
public func crossEntropy(
    logits: UnsafePointer<Float>, labels: UnsafePointer<Int>, rows: Int, columns: Int,
    logitsGradient: UnsafeMutablePointer<Float>?
) -> Float {
    if rows <= 0 { return 0 }
    precondition(columns > 0, "crossEntropy: needs at least one class column")
    var total: Double = 0
    let inverseRows = 1 / Float(rows)
    for i in 0..<rows {
        let z = logits + i * columns
        let label = labels[i]
        precondition(label >= 0 && label < columns,
                     "crossEntropy: label \(label) of row \(i) is outside 0..<\(columns)")
        let m = rowMaximum(z, columns)
        let gr = logitsGradient.map { $0 + i * columns }
        let sum = exponentiateRow(z, columns, maximum: m, scale: 1, into: gr)
        total += Double(logf(sum) - (z[label] - m))
        if let gr {
            scaleRow(gr, columns, by: inverseRows / sum)
            gr[label] -= inverseRows
        }
    }
    return Float(total / Double(rows))
}

/// The readable definition of `crossEntropy`, in Double.
@discardableResult
public func crossEntropyReference(
    logits: UnsafePointer<Float>, labels: UnsafePointer<Int>, rows: Int, columns: Int,
    logitsGradient: UnsafeMutablePointer<Float>?
) -> Float {
    if rows <= 0 { return 0 }
    var total: Double = 0
    for i in 0..<rows {
        let z = (0..<columns).map { Double(logits[i * columns + $0]) }
        let m = z.max()!
        let s = z.map { exp($0 - m) }.reduce(0, +)
        total += log(s) - (z[labels[i]] - m)
        if let g = logitsGradient {
            for j in 0..<columns {
                let p = exp(z[j] - m) / s
                g[i * columns + j] = Float((p - (j == labels[i] ? 1 : 0)) / Double(rows))
            }
        }
    }
    return Float(total / Double(rows))
}

/// Cross-entropy against soft targets (probability rows, e.g. a teacher's softened outputs in
/// knowledge distillation), at temperature `T`, averaged over rows:
/// `loss = −(1/N) Σᵢ Σⱼ pᵢⱼ log softmax(zᵢ/T)ⱼ`, gradient
/// `∂loss/∂zᵢⱼ = (softmax(zᵢ/T)ⱼ − pᵢⱼ) / (T·N)`.
///
/// Distillation losses usually multiply this term by T² (Hinton et al., 2015) so its gradient
/// keeps the same size as T changes; that factor is the caller's choice.
@discardableResult
public func softCrossEntropy(
    logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, rows: Int, columns: Int,
    temperature: Float = 1, logitsGradient: UnsafeMutablePointer<Float>?
) -> Float {
    precondition(temperature > 0, "softCrossEntropy: temperature must be > 0, got \(temperature)")
    if rows <= 0 || columns <= 0 { return 0 }
    let inverseT = 1 / temperature
    let gradientScale = inverseT / Float(rows)
    var total: Double = 0
    for i in 0..<rows {
        let z = logits + i * columns, p = targets + i * columns
        let m = rowMaximum(z, columns)
        let gr = logitsGradient.map { $0 + i * columns }
        let sum = exponentiateRow(z, columns, maximum: m, scale: inverseT, into: gr)
        let logSum = logf(sum)
        var rowLoss: Float = 0
        for j in 0..<columns where p[j] != 0 { rowLoss -= p[j] * ((z[j] - m) * inverseT - logSum) }
        total += Double(rowLoss)
        if let gr {
            let inverseSum = 1 / sum
            for j in 0..<columns { gr[j] = (gr[j] * inverseSum - p[j]) * gradientScale }
        }
    }
    return Float(total / Double(rows))
}

/// The readable definition of `softCrossEntropy`, in Double.
@discardableResult
public func softCrossEntropyReference(
    logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, rows: Int, columns: Int,
    temperature: Float = 1, logitsGradient: UnsafeMutablePointer<Float>?
) -> Float {
    if rows <= 0 || columns <= 0 { return 0 }
    let t = Double(temperature)
    var total: Double = 0
    for i in 0..<rows {
        let z = (0..<columns).map { Double(logits[i * columns + $0]) / t }
        let m = z.max()!
        let logSum = log(z.map { exp($0 - m) }.reduce(0, +))
        for j in 0..<columns {
            let logP = z[j] - m - logSum
            let target = Double(targets[i * columns + j])
            if target != 0 { total -= target * logP }
            if let g = logitsGradient {
                g[i * columns + j] = Float((exp(logP) - target) / (t * Double(rows)))
            }
        }
    }
    return Float(total / Double(rows))
}

extension Tensor where Element == Float {
    /// Mean softmax cross-entropy of these `[rows, classes]` logits against `labels`, and the
    /// gradient with respect to the logits.
    public func crossEntropy(labels: [Int]) -> (loss: Float, logitsGradient: Tensor<Float>) {
        precondition(rank == 2 && shape[0] == labels.count,
                     "crossEntropy: logits of shape \(shape) for \(labels.count) labels")
        if labels.isEmpty { return (0, self) }
        var loss: Float = 0
        let gradient = Tensor(shape: shape) { g in
            withUnsafeBufferPointer { z in
                labels.withUnsafeBufferPointer { y in
                    loss = SlimKernels.crossEntropy(
                        logits: z.baseAddress!, labels: y.baseAddress!, rows: shape[0],
                        columns: shape[1], logitsGradient: g.baseAddress!)
                }
            }
        }
        return (loss, gradient)
    }

    /// Mean cross-entropy of these `[rows, classes]` logits at temperature `T` against soft
    /// `targets` of the same shape, and the gradient with respect to the logits.
    public func softCrossEntropy(targets: Tensor<Float>, temperature: Float = 1)
        -> (loss: Float, logitsGradient: Tensor<Float>) {
        precondition(rank == 2 && targets.shape == shape,
                     "softCrossEntropy: logits of shape \(shape), targets of shape \(targets.shape)")
        var loss: Float = 0
        let gradient = Tensor(shape: shape) { g in
            withUnsafeBufferPointer { z in
                targets.withUnsafeBufferPointer { p in
                    loss = SlimKernels.softCrossEntropy(
                        logits: z.baseAddress!, targets: p.baseAddress!, rows: shape[0],
                        columns: shape[1], temperature: temperature, logitsGradient: g.baseAddress!)
                }
            }
        }
        return (loss, gradient)
    }
}
