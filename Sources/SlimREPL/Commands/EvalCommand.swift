import SlimLab

/// `eval [N] [on=test|train]`: accuracy, per-class accuracy and the confusion matrix.
struct EvalCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "the model to evaluate")
    static let part = Option<DatasetPart>("on", default: .test, summary: "which part of the data to evaluate on")

    static let configuration = CommandConfiguration(
        name: "eval", topic: .training,
        summary: "accuracy, per-class accuracy and confusion matrix of a model",
        discussion: "Rows of the confusion matrix are the true classes, columns the predicted ones; the diagonal is what the model gets right.",
        arguments: [variant, part], examples: ["eval", "eval baseline", "eval on=train"])

    let variant: String?, part: DatasetPart
    init(arguments: ParsedArguments) throws {
        variant = try arguments.optionalValue(Self.variant)
        part = try arguments.value(Self.part)
    }

    func validate(in context: CommandContext) throws {
        if let variant { try context.requireName(variant, .variant) }
        let model = try context.workspace.variants.variant(named: variant).model
        try model.checkCompatible(with: try context.requireData().dataset(part))
    }

    func run(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        let data = try context.requireData().dataset(part)
        let evaluation = try chosen.model.evaluate(on: data, pool: context.workspace.pool)
        context.print("\(chosen.name) on \(data.name) (\(part.rawValue)): accuracy "
                      + context.style(NumberFormatting.percent(evaluation.accuracy), .bold)
                      + " (\(NumberFormatting.grouped(evaluation.correctCount)) of \(NumberFormatting.grouped(evaluation.sampleCount)))"
                      + "  loss \(context.fixed(evaluation.loss))")
        let perClass = evaluation.perClassAccuracy
        let classRows = evaluation.classNames.indices.map { c -> [String] in
            [evaluation.classNames[c], NumberFormatting.grouped(evaluation.classCounts[c]),
             NumberFormatting.grouped(evaluation.confusion[c][c]), perClass[c].map { NumberFormatting.percent($0) } ?? "-"]
        }
        context.print(Table(["class", "samples", "correct", "accuracy"], rows: classRows)
            .render(width: context.width, style: context.style))
        context.print("confusion matrix (rows: true class, columns: predicted):")
        let names = evaluation.classNames
        let matrixRows = names.indices.map { t in [names[t]] + evaluation.confusion[t].map { $0 == 0 ? "·" : String($0) } }
        let columns = [Table.Column("true\\pred", alignment: .left)] + names.map { Table.Column($0, alignment: .right) }
        context.print(Table(columns: columns, rows: matrixRows).render(width: context.width, style: context.style))
    }
}

extension DatasetPart: ArgumentValue {}
