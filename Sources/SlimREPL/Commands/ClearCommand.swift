/// `clear`: empties the terminal screen (as Ctrl-L does in readline); a script prints nothing.
struct ClearCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "clear", aliases: ["cls"], topic: .session,
        summary: "clear the screen",
        discussion: "On a terminal, clears the screen and puts the prompt at the top. In a script it does nothing.",
        examples: ["clear"])

    /// Cursor home, then erase the whole screen and the scroll-back (ANSI).
    static let sequence = "\u{1B}[H\u{1B}[2J\u{1B}[3J"

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        guard context.output.isTerminal else { return }
        context.write(Self.sequence)
    }
}
