import SlimLab

/// A `formula` topic: one of training's or one of quantization's.
enum FormulaChoice: ArgumentValue, Equatable {
    case training(FormulaTopic)
    case quantization(QuantizationFormulaTopic)

    init?(argument: String) {
        if let topic = FormulaTopic(rawValue: argument) {
            self = .training(topic)
        } else if let topic = QuantizationFormulaTopic(rawValue: argument) {
            self = .quantization(topic)
        } else {
            return nil
        }
    }

    static var valueKind: ValueKind {
        .choice(FormulaTopic.allCases.map(\.rawValue) + QuantizationFormulaTopic.allCases.map(\.rawValue))
    }

    var argumentText: String {
        switch self {
        case .training(let topic): topic.rawValue
        case .quantization(let topic): topic.rawValue
        }
    }

    /// Every topic with its title, in the order `formula` lists them.
    static var all: [(name: String, title: String)] {
        FormulaTopic.allCases.map { ($0.rawValue, $0.title) } + QuantizationFormulaTopic.allCases.map { ($0.rawValue, $0.title) }
    }
}

/// What `formula quantize|int8-gemm|q4_0|ste` prints.
enum QuantizeFormulaView {
    static func run(_ topic: QuantizationFormulaTopic, in context: CommandContext) {
        let variant = try? context.workspace.variants.variant()
        let sheet = QuantizationFormulaSheet.make(topic, model: variant?.model, modelName: variant?.name)
        context.show(FormulaBlock(title: sheet.title, lines: sheet.definitions))
        if let hint = sheet.hint { context.print(hint) }
        guard !sheet.worked.isEmpty else { return }
        if let where_ = sheet.context { context.print("with the numbers of \(where_):") }
        for group in sheet.worked {
            if let heading = group.heading { context.print("  \(heading):") }
            context.print(lines: QuantizeViews.formulas(group.formulas, context, indent: group.heading == nil ? "  " : "    "))
        }
    }
}
