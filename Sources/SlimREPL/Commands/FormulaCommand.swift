import SlimLab

/// `formula [TOPIC]`: a rule of training written out, with the session's numbers in it.
struct FormulaCommand: REPLCommand {
    static let topic = Positional<FormulaChoice>("TOPIC", arity: .optional, summary: "the rule to show; none lists them")

    static let configuration = CommandConfiguration(
        name: "formula", topic: .inspection,
        summary: "show a formula with the current numbers substituted",
        discussion: """
            softmax, cross-entropy, dense and relu take their numbers from the last `trace`; sgd and \
            adam from the last update of the current model's last training run. quantize and q4_0 use the \
            current model's first Dense weight; int8-gemm and ste a small fixed example; kd and kl the \
            sample the last `distill` worked through.
            """,
        arguments: [topic], examples: ["formula", "trace 5; formula softmax", "formula adam", "formula int8-gemm",
                                       "formula kd"])

    let topic: FormulaChoice?
    init(arguments: ParsedArguments) throws { topic = try arguments.optionalValue(Self.topic) }

    func run(in context: CommandContext) throws {
        guard let choice = topic else {
            let width = FormulaChoice.all.map { $0.name.count }.max()! + 2
            context.print("formulas:")
            context.print(lines: FormulaChoice.all.map { "  " + DisplayWidth.padRight($0.name, to: width) + $0.title })
            return
        }
        guard case .training(let topic) = choice else {
            if case .quantization(let topic) = choice { QuantizeFormulaView.run(topic, in: context) }
            return
        }
        let sheet = context.workspace.formulaSheet(topic)
        context.show(FormulaBlock(title: sheet.title, lines: sheet.definitions))
        if let hint = sheet.hint { context.print(hint) }
        guard !sheet.worked.isEmpty else { return }
        if let where_ = sheet.context { context.print("with the numbers of \(where_):") }
        context.print(lines: sheet.worked.map { "  " + $0.rendered(digits: context.precision) })
    }
}

extension FormulaTopic: ArgumentValue {}
