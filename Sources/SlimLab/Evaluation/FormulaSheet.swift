#if canImport(Glibc)
import Glibc
#endif

/// Every topic of `formula`: the one registry of rules the REPL can write out, each with its
/// numbers from the session where it has them.
public enum FormulaTopic: String, Sendable, CaseIterable {
    /// Networks and training (this file).
    case softmax
    case crossEntropy = "cross-entropy"
    case sgd, adam, dense, relu
    /// Pruning's norms, threshold and schedule (`FormulaSheet+Pruning.swift`).
    case l1, l2, prune, schedule
    /// Distillation's loss and divergence (`FormulaSheet+Distillation.swift`).
    case kd, kl
    /// Quantization (`FormulaSheet+Quantization.swift`).
    case quantize
    case int8GEMM = "int8-gemm"
    case q4_0
    case ste

    /// A one-line title.
    public var title: String {
        switch self {
        case .softmax: return "Softmax: logits to probabilities"
        case .crossEntropy: return "Cross-entropy: the loss of one sample"
        case .sgd: return "SGD with momentum and weight decay: one update"
        case .adam: return "Adam: one update"
        case .dense: return "Dense layer: one output"
        case .relu: return "ReLU: the activation"
        case .l1: return "L1 norm: the total magnitude"
        case .l2: return "L2 norm: the Euclidean length"
        case .prune: return "Magnitude pruning: count, threshold, mask"
        case .schedule: return "Pruning schedules: gradual (cubic) and iterative"
        case .kd: return "Knowledge distillation: the student's loss"
        case .kl: return "KL divergence: how far the student's soft outputs are from the teacher's"
        case .quantize: return "Quantize and dequantize: reals to integer codes and back"
        case .int8GEMM: return "Integer GEMM: a Dense layer in int8 arithmetic"
        case .q4_0: return "Q4_0 (llama.cpp): 4-bit blocks of 32 with an fp16 scale"
        case .ste: return "Straight-through estimator: the gradient through fake quantization"
        }
    }
}

/// What `formula TOPIC` shows: the rule in symbols and, when the session has the numbers (a
/// trace, a training run, a model, a distillation), the same rule with those numbers
/// substituted, term by term — `Formula` values, the same type a technique's steps show.
public struct FormulaSheet: Sendable, Equatable {
    public var topic: FormulaTopic
    public var title: String
    /// The rule in symbols, one equation per line.
    public var definitions: [String]
    /// Where the numbers come from (`sample 12 of digits (test) through baseline`), when there are any.
    public var context: String? = nil
    /// The rule with the session's numbers, in groups (one per output channel for int8-gemm).
    public var groups: [FormulaGroup] = []
    /// What to do to see numbers, when there are none.
    public var hint: String? = nil

    /// The sheet of `topic` with its rule, before any numbers.
    public init(topic: FormulaTopic, definitions: [String]) {
        self.topic = topic
        self.title = topic.title
        self.definitions = definitions
    }

    /// Every worked formula, in order.
    public var worked: [Formula] { groups.flatMap(\.formulas) }

    /// Worked formulas without a heading.
    mutating func setWorked(_ formulas: [Formula]) {
        groups = formulas.isEmpty ? [] : [FormulaGroup(formulas)]
    }
}

/// Worked formulas under an optional heading (`output 0: w = [0.5, -0.25, 0.75, 1]`).
public struct FormulaGroup: Sendable, Equatable {
    public var heading: String?
    public var formulas: [Formula]

    public init(_ formulas: [Formula], heading: String? = nil) {
        self.heading = heading
        self.formulas = formulas
    }
}

/// What a sheet can take its numbers from (the workspace gathers them: `formulaSheet(_:)`).
public struct FormulaInputs: Sendable {
    /// The last trace and the model it ran through (softmax, cross-entropy, dense, relu).
    public var trace: Trace? = nil
    public var tracedModel: Model? = nil
    /// The current model and its name (pruning's norms and threshold, quantization).
    public var model: Model? = nil
    public var modelName: String? = nil
    /// The current model's last optimizer update (sgd, adam).
    public var update: UpdateExample? = nil
    /// The sample the last distillation worked through (kd, kl).
    public var distillation: DistillationExample? = nil
}

extension FormulaSheet {
    /// The sheet for `topic`, worked with the numbers `inputs` hold for it.
    public static func make(_ topic: FormulaTopic, inputs: FormulaInputs) -> FormulaSheet {
        switch topic {
        case .softmax, .crossEntropy, .dense, .relu, .sgd, .adam:
            return trainingSheet(topic, inputs: inputs)
        case .l1, .l2, .prune, .schedule:
            return pruningSheet(topic, model: inputs.model)
        case .kd, .kl:
            return distillationSheet(topic, example: inputs.distillation)
        case .quantize, .int8GEMM, .q4_0, .ste:
            return quantizationSheet(topic, model: inputs.model, modelName: inputs.modelName)
        }
    }

    /// Softmax, cross-entropy, dense and relu with the numbers of the last trace; sgd and adam
    /// with the last optimizer update.
    static func trainingSheet(_ topic: FormulaTopic, inputs: FormulaInputs) -> FormulaSheet {
        var sheet = FormulaSheet(topic: topic, definitions: definitions(topic))
        switch topic {
        case .sgd, .adam:
            let kind: TrainingOptions.OptimizerKind = topic == .sgd ? .sgd : .adam
            guard let update = inputs.update, update.optimizer == kind else {
                sheet.hint = inputs.update == nil
                    ? "train with optimizer=\(kind.rawValue) to see this rule with the numbers of its last update"
                    : "the last training used \(inputs.update!.optimizer.rawValue); train with optimizer=\(kind.rawValue) to see these numbers"
                return sheet
            }
            sheet.context = "\(update.parameter)[\(update.index)] at update \(update.step) of the last training"
            sheet.setWorked(kind == .sgd ? sgdWorked(update) : adamWorked(update))
        default:
            guard let trace = inputs.trace else {
                sheet.hint = "run 'trace I' to see this rule with the numbers of sample I"
                return sheet
            }
            sheet.context = "sample \(trace.sampleIndex) of \(trace.datasetName) through \(trace.variantName) (the last trace)"
            switch topic {
            case .softmax: sheet.setWorked(softmaxWorked(trace))
            case .crossEntropy: sheet.setWorked(crossEntropyWorked(trace))
            case .dense:
                sheet.setWorked(inputs.tracedModel.map { denseWorked(trace, model: $0) } ?? [])
                if sheet.groups.isEmpty { sheet.hint = "the traced model has no Dense layer" }
            default:
                sheet.setWorked(reluWorked(trace))
                if sheet.groups.isEmpty { sheet.hint = "the traced model has no ReLU layer" }
            }
        }
        return sheet
    }

    static func definitions(_ topic: FormulaTopic) -> [String] {
        switch topic {
        case .softmax:
            return ["m = max_k z_k", "pⱼ = e^(zⱼ − m) / Σ_k e^(z_k − m)   (subtracting m changes nothing but keeps e^x finite)",
                    "at temperature T: pⱼ = e^((zⱼ − m)/T) / Σ_k e^((z_k − m)/T)   (T > 1 flattens, T < 1 sharpens)"]
        case .crossEntropy:
            return ["L = −log p_y   (y: the true class)", "∂L/∂zⱼ = pⱼ − [j = y]",
                    "over a batch of B samples: L = (1/B)·Σ_b −log p_{b,y_b}"]
        case .sgd:
            return ["g′ = g + λ·w   (λ: weight decay; biases are not decayed)", "v ← μ·v + g′   (μ: momentum)",
                    "w ← w − η·v   (η: learning rate)"]
        case .adam:
            return ["g′ = g + λ·w", "m ← β₁·m + (1 − β₁)·g′", "v ← β₂·v + (1 − β₂)·g′²",
                    "m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)", "w ← w − η·m̂ / (√v̂ + ε)"]
        case .dense:
            return ["yⱼ = Σᵢ Wⱼᵢ·xᵢ + bⱼ   (W: [out, in]; for a batch Y = X·Wᵀ + b, one GEMM)"]
        case .relu:
            return ["relu(z) = max(0, z)", "∂relu/∂z = 1 if z > 0, else 0"]
        case .l1, .l2, .prune, .schedule:
            return pruningDefinitions(topic)
        case .kd, .kl:
            return distillationDefinitions(topic)
        case .quantize, .int8GEMM, .q4_0, .ste:
            return quantizationDefinitions(topic)
        }
    }

    /// A computed number as terms, parenthesized when negative so `a − (−b)` reads unambiguously.
    static func number(_ x: Double) -> [Formula.Term] {
        x < 0 ? [.text("("), .real(x), .text(")")] : [.real(x)]
    }

    /// `true class 3`, or `true class 1: versicolor` when the name says more than the number.
    static func classText(_ label: Int, names: [String]) -> String {
        label < names.count && names[label] != String(label) ? "true class \(label): \(names[label])" : "true class \(label)"
    }

    static func subscripted(_ n: Int) -> String {
        let digits = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return String(n).map { digits[Int(String($0))!] }.joined()
    }

    static func softmaxWorked(_ trace: Trace) -> [Formula] {
        let z = trace.logits.map(Double.init)
        guard let m = z.max() else { return [] }
        let exponentials = z.map { exp($0 - m) }
        let total = exponentials.reduce(0, +)
        var terms: [Formula.Term] = []
        for (j, e) in exponentials.enumerated() {
            if j > 0 { terms.append(.text(" + ")) }
            terms.append(.real(e))
        }
        terms += [.text(" = "), .real(total)]
        var formulas = [Formula("m = max_k z_k", terms: number(m)),
                        Formula("S = Σ_k e^(z_k − m)", terms: terms)]
        for j in z.indices {
            let label = "p\(subscripted(j))"
            formulas.append(Formula("\(label) = e^(z\(subscripted(j)) − m) / S",
                                    terms: [.text("e^(")] + number(z[j]) + [.text(" − ")] + number(m)
                                        + [.text(") / "), .real(total), .text(" = "), .real(exponentials[j] / total)]))
        }
        return formulas
    }

    static func crossEntropyWorked(_ trace: Trace) -> [Formula] {
        guard let y = trace.trueLabel, y < trace.prediction.probabilities.count else { return [] }
        let p = Double(trace.prediction.probabilities[y])
        return [Formula("L = −log p\(subscripted(y))   (\(classText(y, names: trace.classNames)))",
                        .text("−log "), .real(p), .text(" = "), .real(-log(max(p, Double(Float.leastNonzeroMagnitude)))))]
    }

    static func denseWorked(_ trace: Trace, model: Model) -> [Formula] {
        // The last Dense layer, at the predicted class: the logit softmax turns into pⱼ.
        guard let index = model.layers.lastIndex(where: { $0 is Dense }),
              let dense = model.layers[index] as? Dense, index < trace.steps.count else { return [] }
        let input = index == 0 ? trace.input.value : trace.steps[index - 1].output.value
        let output = trace.steps[index].output.value
        let j = output.count == dense.outputFeatures ? output.withUnsafeBufferPointer { y in
            y.indices.max { y[$0] < y[$1] || (y[$0] == y[$1] && $0 > $1) } ?? 0
        } : 0
        let w = dense.weight, b = Double(dense.bias[flat: j])
        let n = dense.inputFeatures
        var terms: [Formula.Term] = []
        let shown = n <= 4 ? Array(0..<n) : [0, 1, 2, n - 1]
        for (position, i) in shown.enumerated() {
            if position > 0 { terms.append(.text(i == n - 1 && n > 4 ? " + … + " : " + ")) }
            terms += number(Double(w[j, i])) + [.text("·")] + number(Double(input[flat: i]))
        }
        var dot: Double = 0
        for i in 0..<n { dot += Double(w[j, i]) * Double(input[flat: i]) }
        terms += [.text(" + ")] + number(b) + [.text(" = "), .real(dot), .text(" + ")] + number(b)
            + [.text(" = "), .real(Double(output[flat: j]))]
        let y = "y\(subscripted(j))"
        return [Formula("\(dense.name): \(y) = Σᵢ W\(subscripted(j))ᵢ·xᵢ + b\(subscripted(j))   (\(n) terms; output \(j) is the largest)",
                        terms: terms)]
    }

    static func reluWorked(_ trace: Trace) -> [Formula] {
        guard let index = trace.steps.firstIndex(where: { $0.kind == ReLU.kind }), index > 0 else { return [] }
        let input = trace.steps[index - 1].output.value
        let name = trace.steps[index].layer
        // Up to three positive and three negative entries, in index order.
        var positive: [Int] = [], negative: [Int] = []
        for i in 0..<input.count {
            let v = input[flat: i]
            if v > 0 && positive.count < 3 { positive.append(i) }
            if v <= 0 && negative.count < 3 { negative.append(i) }
        }
        return (positive + negative).sorted().map { i in
            let z = Double(input[flat: i])
            return Formula("\(name).out[\(i)] = max(0, \(trace.steps[index - 1].output.name)[\(i)])",
                           terms: [.text("max(0, ")] + number(z) + [.text(") = "), .real(max(0, z))])
        }
    }

    /// A Float setting as the decimal the user typed (0.9, not 0.8999999762).
    static func decimal(_ x: Float) -> Double { Double(x.description) ?? Double(x) }

    static func sgdWorked(_ u: UpdateExample) -> [Formula] {
        let g = Double(u.gradient), w = Double(u.weightBefore), lambda = decimal(u.weightDecay)
        let decayed = g + lambda * w
        return [
            Formula("g′ = g + λ·w", terms: number(g) + [.text(" + "), .parameter(lambda), .text("·")] + number(w)
                        + [.text(" = "), .real(decayed)]),
            Formula("v ← μ·v + g′", terms: [.parameter(decimal(u.momentum)), .text("·")] + number(Double(u.firstMomentBefore))
                        + [.text(" + ")] + number(decayed) + [.text(" = "), .real(Double(u.firstMoment))]),
            Formula("w ← w − η·v", terms: number(w) + [.text(" − "), .real(Double(u.learningRate)), .text("·")]
                        + number(Double(u.firstMoment)) + [.text(" = "), .real(Double(u.weightAfter))]),
        ]
    }

    static func adamWorked(_ u: UpdateExample) -> [Formula] {
        let g = Double(u.gradient), w = Double(u.weightBefore), lambda = decimal(u.weightDecay)
        let decayed = g + lambda * w
        let b1 = decimal(u.beta1), b2 = decimal(u.beta2), t = Double(u.step)
        let mHat = Double(u.firstMoment) / (1 - pow(b1, t)), vHat = Double(u.secondMoment) / (1 - pow(b2, t))
        return [
            Formula("g′ = g + λ·w", terms: number(g) + [.text(" + "), .parameter(lambda), .text("·")] + number(w)
                        + [.text(" = "), .real(decayed)]),
            Formula("m ← β₁·m + (1 − β₁)·g′", terms: [.parameter(b1), .text("·")] + number(Double(u.firstMomentBefore))
                        + [.text(" + "), .real(1 - b1), .text("·")] + number(decayed) + [.text(" = "), .real(Double(u.firstMoment))]),
            Formula("v ← β₂·v + (1 − β₂)·g′²", terms: [.parameter(b2), .text("·"), .real(Double(u.secondMomentBefore)),
                                                     .text(" + "), .real(1 - b2), .text("·")] + number(decayed)
                        + [.text("² = "), .real(Double(u.secondMoment))]),
            Formula("m̂ = m / (1 − β₁ᵗ)", terms: number(Double(u.firstMoment)) + [.text(" / (1 − "), .parameter(b1), .text("^"),
                                                                                  .integer(u.step), .text(") = "), .real(mHat)]),
            Formula("v̂ = v / (1 − β₂ᵗ)", .real(Double(u.secondMoment)), .text(" / (1 − "), .parameter(b2), .text("^"),
                    .integer(u.step), .text(") = "), .real(vHat)),
            Formula("w ← w − η·m̂ / (√v̂ + ε)", terms: number(w) + [.text(" − "), .real(Double(u.learningRate)), .text("·")]
                        + number(mHat) + [.text(" / (√"), .real(vHat), .text(" + "), .parameter(decimal(u.epsilon)),
                                          .text(") = "), .real(Double(u.weightAfter))]),
        ]
    }
}
