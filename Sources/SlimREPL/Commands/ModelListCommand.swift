import SlimLab

/// `model list`: every variant with its size, training, its own test accuracy (evaluated now,
/// on the loaded data) and origin.
struct ModelListCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "list", aliases: ["ls"], summary: "list the session's models (▸ marks the current one)",
        examples: ["model list"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let table = context.workspace.variants
        guard !table.isEmpty else {
            context.print("no models yet; make one with 'model new mlp 64-64-10'")
            return
        }
        let baseline = table.baseline?.name
        let rows = table.variants.map { variant -> [String] in
            let model = variant.model
            var role: [String] = []
            if variant.name == baseline { role.append("baseline") }
            return [variant.name, model.architecture.specification, NumberFormatting.grouped(model.parameterCount),
                    NumberFormatting.bytes(model.storedByteCount), String(model.completedEpochs),
                    (try? context.workspace.testAccuracy(of: variant.name))?.map { NumberFormatting.percent($0) } ?? "-",
                    (role + [variant.origin]).joined(separator: "; ")]
        }
        let marked = table.variants.firstIndex { $0.name == table.currentName }
        let rendered = Table(columns: [Table.Column("name"), Table.Column("architecture"), Table.Column("parameters"),
                                       Table.Column("size", alignment: .right), Table.Column("epochs"),
                                       Table.Column("test acc", alignment: .right), Table.Column("origin")],
                             rows: rows, markedRow: marked)
        context.print(rendered.render(width: context.width, style: context.style))
    }
}
