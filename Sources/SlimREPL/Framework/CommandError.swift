/// What went wrong reading a command line, worded for the person who typed it: each case
/// names the bad word or value and says what is allowed.
public enum CommandError: Error, Equatable, CustomStringConvertible {
    /// A quote opened and never closed.
    case unterminatedQuote(Character)
    /// The first word is not a command.
    case unknownCommand(String, suggestion: String?)
    /// The word after a command group is none of its sub-commands.
    case unknownSubcommand(command: String, word: String, suggestion: String?, allowed: [String])
    /// A command group was given without a sub-command.
    case missingSubcommand(command: String, allowed: [String])
    /// `key=value` with a key the command does not have.
    case unknownOption(command: String, key: String, suggestion: String?, allowed: [String])
    /// The same key given twice.
    case duplicateOption(command: String, key: String)
    /// `key=` with nothing after `=`.
    case emptyValue(key: String)
    /// A value that is not of the argument's kind or not in its range.
    /// `positional` words are shown as `NAME 'value'`, options as `key=value`.
    case invalidValue(argument: String, value: String, problem: String, allowed: String?,
                      suggestion: String? = nil, positional: Bool = false)
    /// A required positional word or option is missing.
    case missingArgument(command: String, argument: String, usage: String)
    /// More positional words than the command takes.
    case unexpectedArgument(command: String, word: String, hint: String?)
    /// A name that the session does not know (`model use nope`); `argument` is the option
    /// as written (`teacher=`), nil for a positional.
    case unknownName(kind: NameKind, name: String, argument: String?, suggestion: String?, known: [String])

    public var description: String {
        switch self {
        case .unterminatedQuote(let quote):
            return "unterminated quote: \(quote) opened and never closed"
        case .unknownCommand(let word, let suggestion):
            if let suggestion { return "unknown command '\(word)' — did you mean '\(suggestion)'?" }
            return "unknown command '\(word)' — type 'help' for the list of commands"
        case .unknownSubcommand(let command, let word, let suggestion, let allowed):
            if let suggestion { return "unknown sub-command '\(word)' of '\(command)' — did you mean '\(command) \(suggestion)'?" }
            return "unknown sub-command '\(word)' of '\(command)' — allowed: \(allowed.joined(separator: ", "))"
        case .missingSubcommand(let command, let allowed):
            return "'\(command)' needs a sub-command: \(allowed.joined(separator: ", ")) (see 'help \(command)')"
        case .unknownOption(let command, let key, let suggestion, let allowed):
            if let suggestion { return "unknown option '\(key)=' for '\(command)' — did you mean '\(suggestion)='?" }
            if allowed.isEmpty { return "'\(command)' takes no options, got '\(key)='" }
            return "unknown option '\(key)=' for '\(command)' — allowed: \(allowed.map { $0 + "=" }.joined(separator: ", "))"
        case .duplicateOption(let command, let key):
            return "'\(key)=' given twice to '\(command)'"
        case .emptyValue(let key):
            return "'\(key)=' needs a value after '='"
        case .invalidValue(let argument, let value, let problem, let allowed, let suggestion, let positional):
            let shown = value.contains(" ") || value.isEmpty ? "\"\(value)\"" : value
            var text = positional ? "\(argument) '\(value)' \(problem)" : "\(argument)=\(shown) \(problem)"
            if let allowed { text += " (allowed: \(allowed))" }
            if let suggestion { text += " — did you mean '\(suggestion)'?" }
            return text
        case .missingArgument(let command, let argument, let usage):
            return "'\(command)' needs \(argument) — usage: \(usage)"
        case .unexpectedArgument(let command, let word, let hint):
            if let hint { return "unexpected argument '\(word)' for '\(command)' — \(hint)" }
            return "unexpected argument '\(word)' for '\(command)'"
        case .unknownName(let kind, let name, let argument, let suggestion, let known):
            var text = "no \(kind) named '\(name)'"
            if let argument { text += " for \(argument)" }
            if let suggestion { return text + " — did you mean '\(suggestion)'?" }
            if known.isEmpty { return text + " — there are none yet" }
            return text + " — known: " + known.joined(separator: ", ")
        }
    }
}

/// A failure while running a command, with a message for people. Commands may throw any
/// `Error & CustomStringConvertible`; this one is for messages that need no type of their own.
public struct CommandFailure: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Thrown by `CommandContext.checkStop()` when Ctrl-C asked the running command to stop.
public struct CommandStopped: Error, CustomStringConvertible, Equatable {
    public init() {}
    public var description: String { "stopped (Ctrl-C): the session is as it was before the command" }
}
