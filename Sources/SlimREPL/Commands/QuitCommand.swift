/// `quit` / `exit`: leave SlimLab; the history is saved.
struct QuitCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "quit", aliases: ["exit"], topic: .session,
        summary: "leave SlimLab",
        discussion: "Ctrl-D at the prompt also leaves. The command history is saved either way.",
        examples: ["quit"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        context.requestQuit()
    }
}
