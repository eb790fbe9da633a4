/// `history [N]`: the lines typed so far (in a script, the lines of the script so far).
struct HistoryCommand: REPLCommand {
    static let count = Positional<Int>("N", arity: .optional, in: 1...HistoryFile.limit,
                                       summary: "show only the last N lines")

    static let configuration = CommandConfiguration(
        name: "history", topic: .session,
        summary: "list the command lines typed so far",
        discussion: "On a terminal the history persists in ~/.slimlab_history (SLIMLAB_HISTORY relocates it), bounded to 1000 lines; Up/Down recall lines and Ctrl-R searches them.",
        arguments: [count],
        examples: ["history", "history 10"])

    let count: Int?

    init(arguments: ParsedArguments) throws {
        count = try arguments.optionalValue(Self.count)
    }

    func run(in context: CommandContext) throws {
        let entries = context.history.entries
        let first = count.map { max(0, entries.count - $0) } ?? 0
        let numberWidth = max(4, String(entries.count).count)
        for index in first..<entries.count {
            context.print(DisplayWidth.padLeft(String(index + 1), to: numberWidth) + "  " + entries[index])
        }
    }
}
