/// Supplies the names of one kind the session knows, e.g. the variants in the workspace.
public typealias NameProvider = (CommandContext) -> [String]

/// The commands of a session, and the providers of the names their arguments refer to.
///
/// `help`, completion and "did you mean" are all generated from the command types listed
/// here, so there is no second list to keep in step. `CommandRegistry.standard` (in
/// `Commands/CommandList.swift`) is SlimLab's own registry.
public struct CommandRegistry {
    /// The top-level command types, in the order `help` lists them within a topic.
    public private(set) var commands: [any REPLCommand.Type]
    /// Where names of each kind come from, for completion and `CommandContext.requireName`.
    /// Paths and command names are built in.
    public var nameProviders: [NameKind: NameProvider] = [:]
    /// The name of the current model, shown in the prompt (`slimlab[baseline]> `); nil
    /// before any model exists.
    public var currentModelName: (CommandContext) -> String? = { _ in nil }

    /// A registry of these command types (names and aliases must be unique), with the
    /// providers of names and of the current model's name.
    public init(commands: [any REPLCommand.Type], names: [NameKind: NameProvider] = [:],
                currentModelName: @escaping (CommandContext) -> String? = { _ in nil }) {
        self.commands = []
        self.nameProviders = names
        self.currentModelName = currentModelName
        for command in commands { register(command) }
    }

    /// Adds a command type; a name or alias already taken is a programming error.
    public mutating func register(_ command: any REPLCommand.Type) {
        let words = [command.configuration.name] + command.configuration.aliases
        for word in words {
            precondition(lookup(word) == nil, "CommandRegistry: '\(word)' is registered twice")
        }
        commands.append(command)
    }

    /// Registers where names of `kind` come from.
    public mutating func provideNames(_ kind: NameKind, _ provider: @escaping NameProvider) {
        nameProviders[kind] = provider
    }

    /// Every word that starts a command: names, then aliases.
    public var commandWords: [String] {
        commands.map { $0.configuration.name } + commands.flatMap { $0.configuration.aliases }
    }

    /// The top-level command invoked by `word` (its name or an alias).
    public func lookup(_ word: String) -> (any REPLCommand.Type)? {
        commands.first { $0.configuration.name == word || $0.configuration.aliases.contains(word) }
    }

    /// A command found from the first words of a line.
    public struct Resolution {
        /// The command type to build.
        public var command: any REPLCommand.Type
        /// The command words as canonical names (`model new`), aliases replaced.
        public var path: [String]
        /// The words after the command words.
        public var arguments: [CommandWord]
        /// The command words joined by spaces.
        public var name: String { path.joined(separator: " ") }
    }

    /// Finds the command a line's words invoke, descending into sub-commands. A command that has
    /// sub-commands but is not a `CommandGroup` is its own default sub-command: it runs when the
    /// next word is an option or absent (`quantize bits=4`), while `quantize conventions T`
    /// reaches the sub-command.
    public func resolve(_ words: [CommandWord]) throws -> Resolution {
        guard let first = words.first else { throw CommandError.unknownCommand("", suggestion: nil) }
        guard first.key == nil, var command = lookup(first.text) else {
            throw CommandError.unknownCommand(first.text, suggestion: Suggestion.closest(to: first.text, among: commandWords))
        }
        var path = [command.configuration.name]
        var rest = words.dropFirst()
        while !command.configuration.subcommands.isEmpty {
            let subcommands = command.configuration.subcommands
            let names = subcommands.map { $0.configuration.name }
            let groupName = path.joined(separator: " ")
            let runsItself = !(command is any CommandGroup.Type)
            guard let word = rest.first, word.key == nil else {
                if runsItself { break }
                throw CommandError.missingSubcommand(command: groupName, allowed: names)
            }
            guard let sub = subcommands.first(where: {
                $0.configuration.name == word.text || $0.configuration.aliases.contains(word.text)
            }) else {
                if runsItself, !command.configuration.positionals.isEmpty { break }
                let allWords = names + subcommands.flatMap { $0.configuration.aliases }
                throw CommandError.unknownSubcommand(command: groupName, word: word.text,
                                                     suggestion: Suggestion.closest(to: word.text, among: allWords),
                                                     allowed: names)
            }
            command = sub
            path.append(sub.configuration.name)
            rest = rest.dropFirst()
        }
        return Resolution(command: command, path: path, arguments: Array(rest))
    }

    /// A command line read and checked against the command's declared arguments, ready to
    /// validate against the session and run.
    public struct ParsedCommand {
        /// The command, built from its arguments.
        public var command: any REPLCommand
        /// The command words (`model new`).
        public var name: String
        /// The arguments as matched, for checks that need the specs (names of session things).
        public var arguments: ParsedArguments
        public var configuration: CommandConfiguration
    }

    /// Parses one command (no `;`): resolves it, matches and checks its arguments, and builds
    /// the command value. Returns nil for a blank line or a `#` comment.
    public func parse(_ line: String) throws -> ParsedCommand? {
        let trimmed = line.trimmingWhitespace()
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
        let words = try CommandLineTokenizer.words(trimmed)
        let resolution = try resolve(words)
        let configuration = resolution.command.configuration
        let arguments = try ArgumentMatcher.match(resolution.arguments, commandName: resolution.name,
                                                  configuration: configuration)
        return ParsedCommand(command: try resolution.command.init(arguments: arguments), name: resolution.name,
                             arguments: arguments, configuration: configuration)
    }

    /// One runnable command and where it sits, for listing.
    public struct Entry {
        public var path: [String]
        public var configuration: CommandConfiguration
        public var topic: CommandTopic
        public var name: String { path.joined(separator: " ") }
    }

    /// Every runnable command (sub-commands expanded, groups left out) in registration order.
    public var entries: [Entry] {
        var result: [Entry] = []
        func visit(_ command: any REPLCommand.Type, path: [String], inherited: CommandTopic) {
            let configuration = command.configuration
            let topic = configuration.topic ?? inherited
            let path = path + [configuration.name]
            if configuration.subcommands.isEmpty || !(command is any CommandGroup.Type) {
                result.append(Entry(path: path, configuration: configuration, topic: topic))
            }
            for sub in configuration.subcommands { visit(sub, path: path, inherited: topic) }
        }
        for command in commands { visit(command, path: [], inherited: .session) }
        return result
    }
}
