/// `formula kd` and `formula kl`: the distillation loss and the KL divergence, with the numbers
/// of the last `distill` run's sample when there is one.
extension FormulaSheet {
    static func distillationDefinitions(_ topic: FormulaTopic) -> [String] {
        switch topic {
        case .kl:
            return ["KL(p ‖ q) = Σⱼ pⱼ·log(pⱼ / qⱼ) = H(p, q) − H(p)   (≥ 0; 0 only when q = p)",
                    "H(p, q) = −Σⱼ pⱼ·log qⱼ (cross-entropy),  H(p) = −Σⱼ pⱼ·log pⱼ (entropy)",
                    "∂KL/∂zⱼ = (qⱼ − pⱼ) / T   for q = softmax(z / T)"]
        default:
            return [DistillationLoss.rule + "   (Hinton, Vinyals & Dean, 2015)",
                    "p_t = softmax(z_t / T): the teacher's soft targets;  q_s = softmax(z_s / T): the student's",
                    "∂L/∂z_s = α·T·(q_s − p_t) + (1 − α)·(softmax(z_s) − onehot(y))",
                    "T² keeps the soft gradient, which shrinks as 1/T², on the scale of the hard one"]
        }
    }

    /// The sheet for `kd` or `kl`, worked with `example`'s numbers when given.
    static func distillationSheet(_ topic: FormulaTopic, example: DistillationExample?) -> FormulaSheet {
        var sheet = FormulaSheet(topic: topic, definitions: distillationDefinitions(topic))
        guard let example else {
            sheet.hint = "run 'distill teacher=N student=\"mlp 64-16-10\"' to see this rule with the numbers of one sample"
            return sheet
        }
        sheet.context = "training sample \(example.sampleIndex) of \(example.datasetName) in the last distill, "
            + "at the student's initial weights (T = \(DistillationLoss.text(example.loss.temperature)))"
        switch topic {
        case .kl:
            var worked = example.klTerms.indices.map { j in
                Formula("p_t\(subscripted(j))·log(p_t\(subscripted(j)) / q_s\(subscripted(j)))",
                        .real(example.softTargets[j]), .text("·log("), .real(example.softTargets[j]), .text(" / "),
                        .real(example.studentSoft[j]), .text(") = "), .real(example.klTerms[j]))
            } + [Formula("KL(p_t ‖ q_s) = Σⱼ", .real(example.kl))]
            if let after = example.klAfter {
                worked.append(Formula("KL(p_t ‖ q_s) after distillation", .real(after)))
            }
            sheet.setWorked(worked)
        default:
            sheet.setWorked(example.formulas)
        }
        return sheet
    }
}
