/// Everything the registry knows about a command without running it: enough to list it in
/// `help`, explain it in `help CMD`, parse and check its arguments, and complete them.
public struct CommandConfiguration: Sendable {
    /// The word that invokes the command (`train`; `new` for `model new`).
    public var name: String
    /// Other words that invoke it (`exit` for `quit`).
    public var aliases: [String]
    /// The `help` group; a sub-command without one takes its group's.
    public var topic: CommandTopic?
    /// One line for the `help` list, lower-case, no final period.
    public var summary: String
    /// A paragraph or two shown by `help CMD` after the summary.
    public var discussion: String?
    /// The usage line without the command words; generated from `arguments` when nil.
    public var usage: String?
    /// Positional arguments (in order) and options.
    public var arguments: [ArgumentSpec]
    /// Sub-command types, for a group like `model`.
    public var subcommands: [any REPLCommand.Type]
    /// Example lines shown by `help CMD`, each a full command line.
    public var examples: [String]

    public init(name: String, aliases: [String] = [], topic: CommandTopic? = nil, summary: String,
                discussion: String? = nil, usage: String? = nil,
                arguments: [any ArgumentDeclaration] = [],
                subcommands: [any REPLCommand.Type] = [], examples: [String] = []) {
        self.name = name
        self.aliases = aliases
        self.topic = topic
        self.summary = summary
        self.discussion = discussion
        self.usage = usage
        self.arguments = arguments.map(\.spec)
        self.subcommands = subcommands
        self.examples = examples
    }

    /// The positional arguments, in order.
    public var positionals: [ArgumentSpec] { arguments.filter { $0.key == nil } }
    /// The `key=value` options, in declaration order.
    public var options: [ArgumentSpec] { arguments.filter { $0.key != nil } }

    /// The option with this key, if any.
    public func option(_ key: String) -> ArgumentSpec? { options.first { $0.key == key } }

    /// The arguments part of the usage line: `[epochs=N] [lr=X]`.
    public var argumentUsage: String {
        if let usage { return usage }
        if !subcommands.isEmpty {
            return subcommands.map { $0.configuration.name }.joined(separator: "|") + " …"
        }
        return (positionals + options).map(\.usageFragment).joined(separator: " ")
    }
}
