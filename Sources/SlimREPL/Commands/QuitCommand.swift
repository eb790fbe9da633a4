/// `quit` / `exit`: leave SlimLab; the history is saved.
struct QuitCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "quit", aliases: ["exit"], topic: .session,
        summary: "leave SlimLab",
        discussion: """
            Ctrl-D at the prompt also leaves. The command history is saved either way. When some \
            models are not saved, `quit` names them and stays; `quit` again leaves without them.
            """,
        examples: ["quit"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        let unsaved = workspace.unsavedVariantNames
        guard !unsaved.isEmpty else { return context.requestQuit() }
        let names = unsaved.joined(separator: ", ")
        let subject = unsaved.count == 1 ? "1 model is" : "\(unsaved.count) models are"
        if !context.isInteractive || workspace.keptVariants.warned == unsaved {
            if !context.isInteractive { context.print("leaving: \(subject) not saved and lost (\(names))") }
            return context.requestQuit()
        }
        workspace.keptVariants.warned = unsaved
        context.print(context.style("\(subject) not saved and would be lost: \(names)", .warning))
        context.print("keep them with 'session save DIR' (all) or 'model save NAME PATH' (one);")
        context.print("'quit' again leaves without them")
    }
}
