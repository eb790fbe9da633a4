import SlimKernels

/// Softmax followed by cross-entropy against class labels, the classification loss:
/// pᵢ = e^{zᵢ − max z} / Σⱼ e^{zⱼ − max z}, L = −(1/B)·Σ_b log p_{b, y_b}, and its gradient
/// ∂L/∂z = (p − onehot(y)) / B — the simple form that makes fusing the two worthwhile.
/// Both run on the kernels' fused `crossEntropy`.
public enum SoftmaxCrossEntropy {
    /// The result of one batch: mean loss, gradient with respect to the logits, and the
    /// number of samples whose highest logit is the true class.
    public struct Result: Sendable {
        public var loss: Double
        public var logitGradient: Tensor<Float>
        public var correctCount: Int
    }

    /// Row-wise softmax of logits [batch, classes] (stable: the row's maximum is subtracted).
    public static func probabilities(_ logits: Tensor<Float>, temperature: Float = 1) -> Tensor<Float> {
        precondition(logits.rank == 2, "softmax: logits \(logits.shape), expected [batch, classes]")
        return logits.softmax(temperature: temperature)
    }

    /// Loss, gradient and correct count for logits [batch, classes] and one label per row.
    public static func evaluate(logits: Tensor<Float>, labels: some Collection<Int>) -> Result {
        precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                     "cross-entropy: logits \(logits.shape) for \(labels.count) labels")
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let labelArray = Array(labels)
        var loss: Float = 0
        let gradient = Tensor<Float>(shape: logits.shape) { g in
            logits.withUnsafeBufferPointer { z in
                labelArray.withUnsafeBufferPointer { y in
                    loss = crossEntropy(logits: z.baseAddress!, labels: y.baseAddress!, rows: batch,
                                        columns: classes, logitsGradient: g.baseAddress!)
                }
            }
        }
        let predicted = batch == 0 ? [] : logits.argmaxRows()
        let correct = zip(predicted, labelArray).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Result(loss: Double(loss), logitGradient: gradient, correctCount: correct)
    }
}
