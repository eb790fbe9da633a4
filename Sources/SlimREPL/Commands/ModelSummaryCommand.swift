import SlimLab

/// `model summary [N]`: the layer table of a model.
struct ModelSummaryCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "the model to describe")
    static let configuration = CommandConfiguration(
        name: "summary", summary: "layers, output shapes, parameters, bytes, sparsity and dtypes of a model",
        arguments: [variant], examples: ["model summary", "model summary baseline"])

    let variant: String?
    init(arguments: ParsedArguments) throws { variant = try arguments.optionalValue(Self.variant) }

    func validate(in context: CommandContext) throws {
        if let variant { try context.requireName(variant, .variant) }
    }

    func run(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        let summary = chosen.model.summary
        func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
        var rows = [["input", "", shape(summary.inputShape), "", "", "", ""]]
        for row in summary.rows {
            let hasParameters = row.parameterCount > 0
            rows.append([row.layer, row.kind, shape(row.outputShape),
                         hasParameters ? NumberFormatting.grouped(row.parameterCount) : "-",
                         hasParameters ? NumberFormatting.bytes(row.byteCount) : "-",
                         hasParameters ? NumberFormatting.percent(row.sparsity, digits: 1) : "-",
                         row.dtypes.map(\.rawValue).joined(separator: ", ")])
        }
        rows.append(["total", "", "", NumberFormatting.grouped(summary.parameterCount),
                     NumberFormatting.bytes(summary.byteCount), NumberFormatting.percent(summary.sparsity, digits: 1), ""])
        context.print("\(chosen.name): \(summary.architecture)")
        let table = Table(columns: [Table.Column("layer"), Table.Column("kind"), Table.Column("output shape"),
                                    Table.Column("parameters", alignment: .right), Table.Column("bytes", alignment: .right),
                                    Table.Column("sparsity", alignment: .right), Table.Column("dtype")],
                          rows: rows)
        context.print(table.render(width: context.width, style: context.style))
    }
}
