/// `help [COMMAND…]`: the command list grouped by topic, or one command explained.
struct HelpCommand: REPLCommand {
    static let command = Positional<String>(
        "COMMAND", arity: .repeated, kind: .name([.command]),
        summary: "a command, or a command and a sub-command (help model new)")

    static let configuration = CommandConfiguration(
        name: "help", aliases: ["?"], topic: .session,
        summary: "list the commands, or explain one",
        arguments: [command],
        examples: ["help", "help set"])

    let words: [String]

    init(arguments: ParsedArguments) throws {
        words = try arguments.values(Self.command)
    }

    func validate(in context: CommandContext) throws {
        guard !words.isEmpty else { return }
        _ = try renderer(context).detail(for: words)
    }

    func run(in context: CommandContext) throws {
        let renderer = renderer(context)
        context.print(words.isEmpty ? renderer.overview() : try renderer.detail(for: words))
    }

    private func renderer(_ context: CommandContext) -> HelpRenderer {
        HelpRenderer(registry: context.registry, width: context.width, style: context.style)
    }
}
