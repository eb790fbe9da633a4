import SlimKernels

#if canImport(Glibc)
import Glibc
#endif

/// Softmax followed by cross-entropy against class labels, the classification loss:
/// pᵢ = e^{zᵢ − max z} / Σⱼ e^{zⱼ − max z}, L = −(1/B)·Σ_b log p_{b, y_b}, and its gradient
/// ∂L/∂z = (p − onehot(y)) / B — the simple form that makes fusing the two worthwhile.
public enum SoftmaxCrossEntropy {
    /// The result of one batch: mean loss, gradient with respect to the logits, and the
    /// number of samples whose highest logit is the true class.
    public struct Result: Sendable {
        public var loss: Double
        public var logitGradient: Tensor<Float>
        public var correctCount: Int
    }

    /// Row-wise softmax of logits [batch, classes] (stable: the row's maximum is subtracted).
    public static func probabilities(_ logits: Tensor<Float>) -> Tensor<Float> {
        precondition(logits.rank == 2, "softmax: logits \(logits.shape), expected [batch, classes]")
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        return Tensor(shape: logits.shape) { p in
            logits.withUnsafeBufferPointer { z in
                for b in 0..<batch {
                    softmaxRow(z.baseAddress! + b * classes, count: classes, into: p.baseAddress! + b * classes)
                }
            }
        }
    }

    /// Loss, gradient and correct count for logits [batch, classes] and one label per row.
    public static func evaluate(logits: Tensor<Float>, labels: some Collection<Int>) -> Result {
        precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                     "cross-entropy: logits \(logits.shape) for \(labels.count) labels")
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var loss: Double = 0
        var correct = 0
        let scale = batch == 0 ? 0 : 1 / Float(batch)
        let gradient = Tensor<Float>(shape: logits.shape) { g in
            logits.withUnsafeBufferPointer { z in
                for (b, label) in zip(0..<batch, labels) {
                    precondition(label >= 0 && label < classes, "cross-entropy: label \(label) outside 0..<\(classes)")
                    let row = z.baseAddress! + b * classes, out = g.baseAddress! + b * classes
                    softmaxRow(row, count: classes, into: out)
                    var best = 0
                    for j in 1..<max(1, classes) where row[j] > row[best] { best = j }
                    if best == label { correct += 1 }
                    // log p_label = z_label − max − log Σ e^{z − max}, in Double for a faithful sum.
                    let maximum = row[best]
                    var sum: Double = 0
                    for j in 0..<classes { sum += exp(Double(row[j] - maximum)) }
                    loss -= Double(row[label] - maximum) - log(sum)
                    for j in 0..<classes { out[j] *= scale }
                    out[label] -= scale
                }
            }
        }
        return Result(loss: batch == 0 ? 0 : loss / Double(batch), logitGradient: gradient, correctCount: correct)
    }

    /// p = softmax(z) for one row.
    static func softmaxRow(_ z: UnsafePointer<Float>, count: Int, into p: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        var maximum = z[0]
        for j in 1..<count where z[j] > maximum { maximum = z[j] }
        var sum: Float = 0
        for j in 0..<count {
            let e = expf(z[j] - maximum)
            p[j] = e
            sum += e
        }
        let inverse = 1 / sum
        for j in 0..<count { p[j] *= inverse }
    }
}
