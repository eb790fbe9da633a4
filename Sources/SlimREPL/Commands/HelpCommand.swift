/// `help [COMMAND…]`: the command list grouped by topic, or one command explained.
struct HelpCommand: REPLCommand {
    static let command = Positional<String>(
        "TOPIC|COMMAND", arity: .repeated, kind: .name([.command]),
        summary: "a topic (help compression), a command, or a command and a sub-command (help model new)")

    static let configuration = CommandConfiguration(
        name: "help", aliases: ["?"], topic: .session,
        summary: "list the topics, a topic's commands, or explain one",
        arguments: [command],
        examples: ["help", "help compression", "help set"])

    let words: [String]

    init(arguments: ParsedArguments) throws {
        words = try arguments.values(Self.command)
    }

    /// The topic asked for: one word naming a topic and no command.
    private func topic(_ context: CommandContext) -> CommandTopic? {
        guard words.count == 1, context.registry.lookup(words[0]) == nil else { return nil }
        return CommandTopic(word: words[0])
    }

    func validate(in context: CommandContext) throws {
        guard !words.isEmpty, topic(context) == nil else { return }
        _ = try renderer(context).detail(for: words)
    }

    func run(in context: CommandContext) throws {
        let renderer = renderer(context)
        if words.isEmpty {
            context.print(renderer.overview())
        } else if let topic = topic(context) {
            context.print(renderer.topic(topic))
        } else {
            context.print(try renderer.detail(for: words))
        }
    }

    private func renderer(_ context: CommandContext) -> HelpRenderer {
        HelpRenderer(registry: context.registry, width: context.width, style: context.style)
    }
}
