#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

/// One training sample through the distillation loss, with every number: the teacher's
/// probabilities at T = 1 and at T (the "dark knowledge": how much the teacher thinks the
/// sample looks like each wrong class), the student's softened outputs, the KL divergence
/// class by class, the cross-entropy and the weighted sum — what `distill` prints before it
/// trains, and what `formula kd` and `formula kl` substitute.
public struct DistillationExample: Sendable, Equatable {
    /// The sample's row in the training part (the transfer set).
    public var sampleIndex: Int
    public var datasetName: String
    /// The sample's true class, and whether the student is given it (`labeled=`).
    public var trueLabel: Int
    public var isLabeled: Bool
    public var classNames: [String]
    public var loss: DistillationLoss
    /// z_t, the teacher's logits.
    public var teacherLogits: [Double]
    /// softmax(z_t), what the teacher predicts.
    public var teacherProbabilities: [Double]
    /// p_t = softmax(z_t/T), the soft targets.
    public var softTargets: [Double]
    /// z_s, the student's logits before distillation.
    public var studentLogits: [Double]
    /// q_s = softmax(z_s/T).
    public var studentSoft: [Double]
    /// softmax(z_s), the student's prediction (what the hard term sees).
    public var studentProbabilities: [Double]
    /// q_s after distillation (filled in when the run is over).
    public var studentSoftAfter: [Double]?

    /// The example for row `index` of `transfer`, with the teacher's logits from `softTargets`
    /// and the student as it is now.
    public init(sample index: Int, of transfer: Dataset, softTargets: SoftTargets, student: Model,
                isLabeled: Bool, loss: DistillationLoss, pool: ComputePool) {
        precondition(index >= 0 && index < transfer.count, "DistillationExample: sample \(index) of \(transfer.count)")
        let t = Double(loss.temperature)
        let classes = softTargets.logits.shape[1]
        sampleIndex = index
        datasetName = transfer.name
        trueLabel = transfer.labels[index]
        self.isLabeled = isLabeled
        classNames = transfer.classNames
        self.loss = loss
        teacherLogits = (0..<classes).map { Double(softTargets.logits[index, $0]) }
        teacherProbabilities = DistillationLoss.softmax(teacherLogits, temperature: 1)
        self.softTargets = DistillationLoss.softmax(teacherLogits, temperature: t)
        let row = transfer.features.rows(index..<(index + 1))
        studentLogits = student.logits(row, pool: pool).scalars.map(Double.init)
        studentSoft = DistillationLoss.softmax(studentLogits, temperature: t)
        studentProbabilities = DistillationLoss.softmax(studentLogits, temperature: 1)
        studentSoftAfter = nil
    }

    /// p_tj·log(p_tj / q_sj) for every class j (0 where p_tj = 0): the KL divergence's terms.
    public var klTerms: [Double] {
        zip(softTargets, studentSoft).map { p, q in p > 0 ? p * log(p / q) : 0 }
    }

    /// KL(p_t ‖ q_s), summed over the classes.
    public var kl: Double { klTerms.reduce(0, +) }

    /// KL(p_t ‖ q_s) after distillation (nil until the run is over).
    public var klAfter: Double? {
        studentSoftAfter.map { after in zip(softTargets, after).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / $1.1) : 0) } }
    }

    /// −log softmax(z_s)_y.
    public var crossEntropy: Double { -log(max(studentProbabilities[trueLabel], Double.leastNonzeroMagnitude)) }

    /// α·T²·KL + (1 − α)·CE for this sample (the CE term only when the student has its label).
    public var total: Double { loss.softWeight * kl + (isLabeled ? loss.hardWeight * crossEntropy : 0) }

    /// ∂L/∂z_s for this sample alone (a batch of one): α·T²·(q_s − p_t)/T + (1 − α)·(softmax(z_s) − onehot(y)).
    public var gradient: [Double] {
        let t = Double(loss.temperature)
        return studentSoft.indices.map { j in
            var g = loss.softWeight * (studentSoft[j] - softTargets[j]) / t
            if isLabeled { g += loss.hardWeight * (studentProbabilities[j] - (j == trueLabel ? 1 : 0)) }
            return g
        }
    }

    /// The classes in decreasing order of the teacher's soft targets.
    public var classesByTeacher: [Int] {
        softTargets.indices.sorted { softTargets[$0] != softTargets[$1] ? softTargets[$0] > softTargets[$1] : $0 < $1 }
    }

    /// The loss with this sample's numbers substituted, term by term.
    public var formulas: [Formula] {
        let alpha = FormulaSheet.decimal(loss.alpha), t = FormulaSheet.decimal(loss.temperature)
        let order = classesByTeacher
        let shown = Array(order.prefix(2))
        var klSum: [Formula.Term] = []
        for (position, j) in shown.enumerated() {
            if position > 0 { klSum.append(.text(" + ")) }
            klSum += [.real(softTargets[j]), .text("·log("), .real(softTargets[j]), .text("/"), .real(studentSoft[j]), .text(")")]
        }
        if order.count > shown.count { klSum.append(.text(" + … (\(order.count - shown.count) more classes)")) }
        klSum += [.text(" = "), .real(kl)]
        var formulas = [
            Formula("KL(p_t ‖ q_s) = Σⱼ p_tj·log(p_tj / q_sj)", terms: klSum),
        ]
        let y = trueLabel
        let yText = FormulaSheet.subscripted(y)
        if isLabeled {
            let name = classNames[y] == String(y) ? "" : ": \(classNames[y])"
            formulas.append(Formula("CE = −log softmax(z_s)\(yText)   (true class \(y)\(name))",
                                    .text("−log "), .real(studentProbabilities[y]), .text(" = "), .real(crossEntropy)))
        }
        let softFactor: [Formula.Term] = loss.scalesByTemperatureSquared
            ? [.parameter(alpha), .text("·"), .parameter(t), .text("²·")]
            : [.parameter(alpha), .text("·")]
        var terms = softFactor + [.real(kl)]
        if isLabeled {
            terms += [.text(" + "), .real(1 - alpha), .text("·"), .real(crossEntropy)]
        }
        terms += [.text(" = "), .real(total)]
        let symbolic = (loss.scalesByTemperatureSquared ? "L = α·T²·KL" : "L = α·KL   (T² off)")
            + (isLabeled ? " + (1 − α)·CE" : "   (no label for this sample: the CE term is absent)")
        formulas.append(Formula(symbolic, terms: terms))
        let g = gradient[y]
        var gradientTerms: [Formula.Term] = loss.scalesByTemperatureSquared
            ? [.parameter(alpha), .text("·"), .parameter(t), .text("·(")]
            : [.parameter(alpha), .text("/"), .parameter(t), .text("·(")]
        gradientTerms += [.real(studentSoft[y]), .text(" − "), .real(softTargets[y]), .text(")")]
        if isLabeled {
            gradientTerms += [.text(" + "), .real(1 - alpha), .text("·("), .real(studentProbabilities[y]), .text(" − 1)")]
        }
        gradientTerms += [.text(" = "), .real(g)]
        let gradientSymbolic = (loss.scalesByTemperatureSquared ? "∂L/∂z_s\(yText) = α·T·(q_s\(yText) − p_t\(yText))"
                                                                : "∂L/∂z_s\(yText) = (α/T)·(q_s\(yText) − p_t\(yText))")
            + (isLabeled ? " + (1 − α)·(softmax(z_s)\(yText) − 1)" : "")
        formulas.append(Formula(gradientSymbolic, terms: gradientTerms))
        return formulas
    }
}
