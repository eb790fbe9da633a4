import SlimLab

/// `session save DIR`: every variant, the baseline, the current model and the dataset's recipe.
struct SessionSaveCommand: REPLCommand {
    static let folder = Positional<String>("DIR", kind: .name([.path]), summary: "the folder to write (replaced as a whole)")

    static let configuration = CommandConfiguration(
        name: "save", summary: "save every model, the baseline, the current model and the dataset's recipe",
        discussion: """
            The folder is written under a temporary name and renamed into place, so an earlier \
            session there is replaced only by a complete one. A folder that is not a session \
            folder is never overwritten.
            """,
        arguments: [folder], examples: ["session save lab1"])

    let folder: String
    init(arguments: ParsedArguments) throws { folder = try arguments.value(Self.folder) }

    func run(in context: CommandContext) throws {
        let summary = try context.workspace.saveSession(to: folder)
        let count = summary.variantNames.count
        var line = "saved the session to \(folder): \(count) \(count == 1 ? "model" : "models")"
        if let current = summary.currentName { line += " (current: \(current))" }
        if let dataset = summary.datasetName { line += ", dataset \(dataset)" }
        context.print(line + " · \(NumberFormatting.bytes(summary.byteCount))")
        if summary.dataNotKept {
            context.print("note: the data was not loaded with 'data load', so the session does not keep it")
        }
    }
}
