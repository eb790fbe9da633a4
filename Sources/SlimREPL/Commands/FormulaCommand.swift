import SlimLab

/// `formula [TOPIC]`: a rule written out, with the session's numbers in it.
struct FormulaCommand: REPLCommand {
    static let topic = Positional<FormulaTopic>("TOPIC", arity: .optional, summary: "the rule to show; none lists them")

    static let configuration = CommandConfiguration(
        name: "formula", topic: .inspection,
        summary: "show a formula with the current numbers substituted",
        discussion: """
            softmax, cross-entropy, dense and relu take their numbers from the last `trace`; sgd and \
            adam from the last update of the current model's last training run. l1, l2, prune, \
            quantize and q4_0 use the current model's weights; schedule, int8-gemm and ste a small \
            fixed example; kd and kl the sample the last `distill` worked through.
            """,
        arguments: [topic], examples: ["formula", "trace 5; formula softmax", "formula adam", "formula int8-gemm",
                                       "formula kd"])

    let topic: FormulaTopic?
    init(arguments: ParsedArguments) throws { topic = try arguments.optionalValue(Self.topic) }

    func run(in context: CommandContext) throws {
        guard let topic else {
            let width = FormulaTopic.allCases.map { $0.rawValue.count }.max()! + 2
            context.print("formulas:")
            context.print(lines: FormulaTopic.allCases.map { "  " + DisplayWidth.padRight($0.rawValue, to: width) + $0.title })
            return
        }
        let sheet = context.workspace.formulaSheet(topic)
        context.show(FormulaBlock(title: sheet.title, lines: sheet.definitions))
        if let hint = sheet.hint { context.print(hint) }
        guard !sheet.groups.isEmpty else { return }
        if let where_ = sheet.context { context.print("with the numbers of \(where_):") }
        for group in sheet.groups {
            if let heading = group.heading { context.print("  \(heading):") }
            let indent = group.heading == nil ? "  " : "    "
            context.print(lines: group.formulas.map { indent + $0.rendered(digits: context.precision) })
        }
    }
}

extension FormulaTopic: ArgumentValue {}
