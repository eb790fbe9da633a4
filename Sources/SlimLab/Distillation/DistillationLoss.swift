#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

/// The knowledge-distillation loss of Hinton, Vinyals & Dean (2015), "Distilling the Knowledge
/// in a Neural Network":
///
///     L = α·T²·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s)),
///     p_t = softmax(z_t / T),  q_s = softmax(z_s / T),
///
/// with the KL divergence summed over classes and averaged over the batch, and the
/// cross-entropy averaged over the batch's labeled rows (all rows when every sample has its
/// label; rows without a label contribute the soft term only).
///
/// Its gradient with respect to the student's logits is
///
///     ∂L/∂z_s = α·T²·(q_s − p_t) / (T·B) + (1 − α)·(softmax(z_s) − onehot(y)) / B_labeled.
///
/// The soft term's own gradient, (q_s − p_t)/(T·B), shrinks like 1/T² as T grows (q_s − p_t
/// is itself about (z_s − z_t)/(T·C) for large T), so multiplying by T² keeps the balance of
/// the two terms the same whatever the temperature; `scalesByTemperatureSquared = false`
/// drops the factor to show what goes wrong without it.
///
/// Both terms run on the kernels' fused softmax cross-entropies: KL(p ‖ q) = H(p, q) − H(p),
/// and the teacher's entropy H(p) is a constant of the run, computed once with its soft targets.
public struct DistillationLoss: Sendable, Equatable {
    /// T, the softmax temperature of both the teacher's targets and the student's soft outputs.
    public var temperature: Float
    /// α, the weight of the soft (distillation) term; 1 − α weighs the hard-label term.
    public var alpha: Float
    /// Whether the soft term is multiplied by T² (Hinton et al.'s correction).
    public var scalesByTemperatureSquared: Bool

    public init(temperature: Float = 4, alpha: Float = 0.7, scalesByTemperatureSquared: Bool = true) {
        self.temperature = temperature
        self.alpha = alpha
        self.scalesByTemperatureSquared = scalesByTemperatureSquared
    }

    /// The factor in front of the KL term: α·T², or α without the T² correction.
    public var softWeight: Double {
        let t = Double(temperature)
        return Double(alpha) * (scalesByTemperatureSquared ? t * t : 1)
    }

    /// The factor in front of the cross-entropy term: 1 − α.
    public var hardWeight: Double { 1 - Double(alpha) }

    /// Checks T and α, throwing an error that names the bad value and what is allowed.
    public func validate() throws(DistillationError) {
        guard temperature.isFinite, temperature > 0, temperature <= 100 else {
            throw .invalidOption(option: "T", value: Self.text(temperature), allowed: "a temperature in (0, 100], like 2, 4 or 8")
        }
        guard alpha.isFinite, alpha >= 0, alpha <= 1 else {
            throw .invalidOption(option: "alpha", value: Self.text(alpha), allowed: "a weight in [0, 1] (1: soft targets only, 0: labels only)")
        }
    }

    /// The loss in symbols (Hinton, Vinyals & Dean, 2015), as `formula kd` and `distill` show it.
    public static let rule = "L = α·T²·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))"
    /// The same without the T² factor (`tsquared=off`).
    public static let ruleWithoutTemperatureSquared = "L = α·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))"

    /// A setting as it was typed: `4`, `0.7` (not `4.0`, `0.699999988`).
    static func text(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : x.description
    }

    /// The two terms of one batch, unweighted, with their gradients.
    public struct Terms: Sendable {
        /// KL(p_t ‖ q_s) averaged over the batch.
        public var soft: Double
        /// ∂soft/∂z_s = (q_s − p_t)/(T·B).
        public var softGradient: Tensor<Float>
        /// CE(y, softmax(z_s)) averaged over the labeled rows (0 when none is labeled).
        public var hard: Double
        /// ∂hard/∂z_s = (softmax(z_s) − onehot(y))/B_labeled on labeled rows, 0 elsewhere.
        public var hardGradient: Tensor<Float>
        /// Rows that carry a label.
        public var labeledCount: Int
        /// Rows whose highest student logit is the true class (labeled rows only).
        public var correctCount: Int
    }

    /// One batch's loss, both terms and the gradient with respect to the student's logits.
    public struct Result: Sendable {
        public var terms: Terms
        /// α·T²·soft + (1 − α)·hard (the hard term counts only when a row is labeled).
        public var loss: Double
        /// ∂L/∂z_s, what the student's backward pass starts from.
        public var logitGradient: Tensor<Float>
    }

    /// The soft and hard terms of a batch.
    ///
    /// - Parameters:
    ///   - studentLogits: z_s, `[batch, classes]`.
    ///   - teacherProbabilities: p_t = softmax(z_t/T), `[batch, classes]`.
    ///   - teacherEntropies: H(p_t) of each row (`SoftTargets` computes them once); when nil,
    ///     they are computed here.
    ///   - labels: each row's true class, or nil for a row the student has no label for.
    public func terms(studentLogits: Tensor<Float>, teacherProbabilities: Tensor<Float>,
                      teacherEntropies: [Double]? = nil, labels: [Int?]) -> Terms {
        precondition(studentLogits.rank == 2 && teacherProbabilities.shape == studentLogits.shape
                     && labels.count == studentLogits.shape[0],
                     "DistillationLoss: student logits \(studentLogits.shape), teacher probabilities \(teacherProbabilities.shape), \(labels.count) labels")
        let (rows, classes) = (studentLogits.shape[0], studentLogits.shape[1])
        // Soft: H(p_t, q_s) − H(p_t), on the fused kernel.
        let (crossEntropy, softGradient) = studentLogits.softCrossEntropy(targets: teacherProbabilities,
                                                                         temperature: temperature)
        let entropies = teacherEntropies ?? SoftTargets.entropies(of: teacherProbabilities)
        precondition(entropies.count == rows, "DistillationLoss: \(entropies.count) entropies for \(rows) rows")
        let meanEntropy = rows == 0 ? 0 : entropies.reduce(0, +) / Double(rows)
        let soft = Double(crossEntropy) - meanEntropy

        // Hard: cross-entropy over the labeled rows only.
        let labeledRows = labels.indices.filter { labels[$0] != nil }
        let labeledClasses = labeledRows.map { labels[$0]! }
        var hard: Double = 0
        var hardGradient = Tensor<Float>.zeros(studentLogits.shape)
        var correct = 0
        if !labeledRows.isEmpty {
            let everyRow = labeledRows.count == rows
            let logits = everyRow ? studentLogits : studentLogits.gatherRows(labeledRows)
            let (loss, gradient) = logits.crossEntropy(labels: labeledClasses)
            hard = Double(loss)
            if everyRow {
                hardGradient = gradient
            } else {
                hardGradient.withUnsafeMutableBufferPointer { target in
                    gradient.withUnsafeBufferPointer { source in
                        for (position, row) in labeledRows.enumerated() {
                            (target.baseAddress! + row * classes).update(from: source.baseAddress! + position * classes,
                                                                         count: classes)
                        }
                    }
                }
            }
            correct = zip(logits.argmaxRows(), labeledClasses).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        }
        return Terms(soft: soft, softGradient: softGradient, hard: hard, hardGradient: hardGradient,
                     labeledCount: labeledRows.count, correctCount: correct)
    }

    /// The weighted loss of a batch and its gradient with respect to the student's logits.
    public func evaluate(studentLogits: Tensor<Float>, teacherProbabilities: Tensor<Float>,
                         teacherEntropies: [Double]? = nil, labels: [Int?]) -> Result {
        let terms = terms(studentLogits: studentLogits, teacherProbabilities: teacherProbabilities,
                          teacherEntropies: teacherEntropies, labels: labels)
        let soft = Float(softWeight), hard = terms.labeledCount > 0 ? Float(hardWeight) : 0
        let gradient = Tensor<Float>(shape: studentLogits.shape) { g in
            terms.softGradient.withUnsafeBufferPointer { s in
                terms.hardGradient.withUnsafeBufferPointer { h in
                    for i in g.indices { g[i] = soft * s[i] + hard * h[i] }
                }
            }
        }
        let loss = softWeight * terms.soft + (terms.labeledCount > 0 ? hardWeight * terms.hard : 0)
        return Result(terms: terms, loss: loss, logitGradient: gradient)
    }
}

extension DistillationLoss {
    /// The readable definition of the loss and its gradient, in Double, from the teacher's
    /// logits (not its probabilities): what the fused version is tested against.
    public func reference(studentLogits: [[Double]], teacherLogits: [[Double]], labels: [Int?])
        -> (loss: Double, soft: Double, hard: Double, gradient: [[Double]]) {
        precondition(studentLogits.count == teacherLogits.count && studentLogits.count == labels.count)
        let t = Double(temperature)
        let rows = Double(studentLogits.count)
        let labeled = Double(labels.compactMap { $0 }.count)
        var soft: Double = 0, hard: Double = 0
        var gradient: [[Double]] = []
        for (row, (zs, zt)) in zip(studentLogits, teacherLogits).enumerated() {
            let p = Self.softmax(zt, temperature: t), q = Self.softmax(zs, temperature: t)
            for j in p.indices where p[j] > 0 { soft += p[j] * log(p[j] / q[j]) / rows }
            var g = zip(q, p).map { softWeight * ($0 - $1) / (t * rows) }
            if let y = labels[row] {
                let s = Self.softmax(zs, temperature: 1)
                hard -= log(s[y]) / labeled
                for j in g.indices { g[j] += hardWeight * (s[j] - (j == y ? 1 : 0)) / labeled }
            }
            gradient.append(g)
        }
        let loss = softWeight * soft + (labeled > 0 ? hardWeight * hard : 0)
        return (loss, soft, hard, gradient)
    }

    /// softmax(z/T) in Double, the row maximum subtracted first.
    static func softmax(_ z: [Double], temperature t: Double) -> [Double] {
        let m = z.max() ?? 0
        let e = z.map { exp(($0 - m) / t) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
