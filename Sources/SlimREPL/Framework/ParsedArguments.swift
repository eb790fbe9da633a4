/// The arguments of one command line, matched to the command's declared arguments and
/// checked against their kinds and ranges; read back typed with the same declarations.
public struct ParsedArguments {
    /// The command words, e.g. `model new`.
    public let commandName: String
    var optionTexts: [String: String]
    var positionalTexts: [String: [String]]

    init(commandName: String, optionTexts: [String: String], positionalTexts: [String: [String]]) {
        self.commandName = commandName
        self.optionTexts = optionTexts
        self.positionalTexts = positionalTexts
    }

    /// The texts given for an argument (one for an option, any number for a repeated
    /// positional), empty when it was not given.
    public func texts(of spec: ArgumentSpec) -> [String] {
        switch spec.role {
        case .option(let key): optionTexts[key].map { [$0] } ?? []
        case .positional(let name, _): positionalTexts[name] ?? []
        }
    }

    /// Whether the option was given on the line (not just defaulted).
    public func isGiven<Value>(_ option: Option<Value>) -> Bool { optionTexts[option.key] != nil }

    /// The option's value, or its default; throws when it has neither.
    public func value<Value>(_ option: Option<Value>) throws -> Value {
        if let value = try optionalValue(option) { return value }
        throw CommandError.missingArgument(command: commandName, argument: "\(option.key)=\(option.spec.placeholder)",
                                           usage: "\(commandName) \(option.spec.usageFragment)")
    }

    /// The option's value, its default, or nil.
    public func optionalValue<Value>(_ option: Option<Value>) throws -> Value? {
        guard let text = optionTexts[option.key] else { return option.defaultValue }
        return try convert(text, to: Value.self, spec: option.spec)
    }

    /// The positional's value, or its default; throws when it has neither.
    public func value<Value>(_ positional: Positional<Value>) throws -> Value {
        if let value = try optionalValue(positional) { return value }
        throw CommandError.missingArgument(command: commandName, argument: positional.name,
                                           usage: "\(commandName) \(positional.spec.usageFragment)")
    }

    /// The positional's value, its default, or nil.
    public func optionalValue<Value>(_ positional: Positional<Value>) throws -> Value? {
        guard let text = positionalTexts[positional.name]?.first else { return positional.defaultValue }
        return try convert(text, to: Value.self, spec: positional.spec)
    }

    /// Every value of a repeated positional, in order (empty when none was given).
    public func values<Value>(_ positional: Positional<Value>) throws -> [Value] {
        try (positionalTexts[positional.name] ?? []).map {
            try convert($0, to: Value.self, spec: positional.spec)
        }
    }

    private func convert<Value: ArgumentValue>(_ text: String, to: Value.Type, spec: ArgumentSpec) throws -> Value {
        guard let value = Value(argument: text) else {
            throw ArgumentMatcher.invalid(text, spec: spec, problem: "is not \(spec.kind.expectation)")
        }
        return value
    }
}
