/// Matches the words after a command's name to its declared arguments: positional words fill
/// the positionals in order, `key=value` words the options; every value is checked.
enum ArgumentMatcher {
    static func match(_ words: [CommandWord], commandName: String,
                      configuration: CommandConfiguration) throws -> ParsedArguments {
        var optionTexts: [String: String] = [:]
        var positionalTexts: [String: [String]] = [:]
        let positionals = configuration.positionals
        var nextPositional = 0

        for word in words {
            if let key = word.key, let value = word.value {
                guard let spec = configuration.option(key) else {
                    let keys = configuration.options.compactMap(\.key)
                    throw CommandError.unknownOption(command: commandName, key: key,
                                                     suggestion: Suggestion.closest(to: key, among: keys),
                                                     allowed: keys)
                }
                guard optionTexts[key] == nil else {
                    throw CommandError.duplicateOption(command: commandName, key: key)
                }
                guard !value.isEmpty else { throw CommandError.emptyValue(key: key) }
                if let problem = spec.check(value) { throw invalid(value, spec: spec, problem: problem) }
                optionTexts[key] = value
                continue
            }
            guard nextPositional < positionals.count else {
                throw CommandError.unexpectedArgument(command: commandName, word: word.text,
                                                      hint: hint(for: word.text, commandName: commandName,
                                                                 configuration: configuration))
            }
            let spec = positionals[nextPositional]
            guard case .positional(let name, let arity) = spec.role else { continue }
            if let problem = spec.check(word.text) { throw invalid(word.text, spec: spec, problem: problem) }
            positionalTexts[name, default: []].append(word.text)
            if arity != .repeated { nextPositional += 1 }
        }

        let usage = "\(commandName) \(configuration.argumentUsage)"
        for spec in positionals where spec.isRequired {
            if case .positional(let name, _) = spec.role, positionalTexts[name] == nil {
                throw CommandError.missingArgument(command: commandName, argument: name, usage: usage)
            }
        }
        for spec in configuration.options where spec.isRequired {
            if let key = spec.key, optionTexts[key] == nil {
                throw CommandError.missingArgument(command: commandName, argument: "\(key)=\(spec.placeholder)",
                                                   usage: usage)
            }
        }
        return ParsedArguments(commandName: commandName, optionTexts: optionTexts,
                               positionalTexts: positionalTexts)
    }

    /// The error for a value its spec rejected, with the allowed values and a suggestion
    /// for a misspelled choice.
    static func invalid(_ value: String, spec: ArgumentSpec, problem: String) -> CommandError {
        var allowed = spec.allowedDescription
        var suggestion: String?
        switch spec.kind {
        case .choice(let words):
            allowed = nil
            suggestion = Suggestion.closest(to: value, among: words)
        case .boolean:
            allowed = nil
        case .list(.choice(let words)):
            if let bad = value.split(separator: ",").map(String.init).first(where: { !words.contains($0) }) {
                suggestion = Suggestion.closest(to: bad, among: words)
            }
        default:
            break
        }
        let positional = spec.key == nil
        return CommandError.invalidValue(argument: spec.displayName, value: value, problem: problem,
                                         allowed: allowed, suggestion: suggestion, positional: positional)
    }

    /// A hint for a stray word: it may be an option key missing its `=value`.
    private static func hint(for word: String, commandName: String,
                             configuration: CommandConfiguration) -> String? {
        let keys = configuration.options.compactMap(\.key)
        if keys.contains(word) { return "options are written \(word)=VALUE" }
        if let key = Suggestion.closest(to: word, among: keys), word.count > 2 {
            return "did you mean '\(key)=…'?"
        }
        if configuration.positionals.isEmpty { return "'\(commandName)' takes no positional arguments" }
        return "usage: \(commandName) \(configuration.argumentUsage)"
    }
}
