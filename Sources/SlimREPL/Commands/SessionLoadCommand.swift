import SlimLab

/// `session load DIR [replace=yes]`: a saved session in place of this one.
struct SessionLoadCommand: REPLCommand {
    static let folder = Positional<String>("DIR", kind: .name([.path]), summary: "a folder written by session save")
    static let replace = Option<Bool>("replace", default: false,
                                      summary: "drop this session's unsaved models (otherwise loading refuses)")

    static let configuration = CommandConfiguration(
        name: "load", summary: "load a saved session in place of this one, dataset included",
        discussion: """
            Everything is read and checked first — the manifest, every model file, the dataset — \
            so a damaged folder gives an error and this session stays as it was.
            """,
        arguments: [folder, replace], examples: ["session load lab1", "session load lab1 replace=yes"])

    let folder: String, replace: Bool
    init(arguments: ParsedArguments) throws {
        folder = try arguments.value(Self.folder)
        replace = try arguments.value(Self.replace)
    }

    func run(in context: CommandContext) throws {
        let summary = try context.workspace.loadSession(from: folder, replacing: replace)
        let count = summary.variantNames.count
        var line = "loaded the session from \(folder): \(count) \(count == 1 ? "model" : "models")"
        if !summary.variantNames.isEmpty { line += " (\(summary.variantNames.joined(separator: ", ")))" }
        if let dataset = summary.datasetName { line += ", dataset \(dataset)" }
        context.print(line)
        if let current = summary.currentName { context.print("current model: \(current)") }
    }
}
