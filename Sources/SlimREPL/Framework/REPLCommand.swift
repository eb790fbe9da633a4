/// A command of the REPL: a type with a static configuration (name, topic, summary,
/// arguments, examples), built from parsed arguments, checked against the session, then run.
///
/// Parsing and checking never change the session, so a bad line leaves it as it was. A
/// minimal command:
///
/// ```swift
/// struct EchoCommand: REPLCommand {
///     static let times = Option<Int>("times", default: 1, in: 1...10, summary: "how often")
///     static let text = Positional<String>("TEXT", summary: "what to print")
///     static let configuration = CommandConfiguration(
///         name: "echo", topic: .session, summary: "print a text",
///         arguments: [text, times], examples: ["echo hello times=2"])
///
///     let text: String, times: Int
///     init(arguments: ParsedArguments) throws {
///         text = try arguments.value(Self.text)
///         times = try arguments.value(Self.times)
///     }
///     func run(in context: CommandContext) throws {
///         for _ in 0..<times { context.print(text) }
///     }
/// }
/// ```
///
/// Register it with one line in `CommandList.swift`.
public protocol REPLCommand: SendableMetatype {
    /// Name, aliases, topic, summary, arguments, sub-commands and examples.
    static var configuration: CommandConfiguration { get }
    /// Reads the typed arguments; values have already been checked against their specs.
    init(arguments: ParsedArguments) throws
    /// Checks the command against the session (that a named variant exists, …) without
    /// changing anything. The default accepts everything.
    func validate(in context: CommandContext) throws
    /// Does the work and prints through `context`.
    func run(in context: CommandContext) throws
}

extension REPLCommand {
    public func validate(in context: CommandContext) throws {}
}

/// A command that only groups sub-commands (`model new`, `model list`, …); it never runs
/// itself. Declare it as an enum with a configuration listing `subcommands`.
public protocol CommandGroup: REPLCommand {}

extension CommandGroup {
    public init(arguments: ParsedArguments) throws {
        let names = Self.configuration.subcommands.map { $0.configuration.name }
        throw CommandError.missingSubcommand(command: arguments.commandName, allowed: names)
    }

    public func run(in context: CommandContext) throws {}
}
