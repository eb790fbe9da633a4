/// One argument a command accepts, with everything help, parsing and completion need;
/// the type-erased form of an `Option` or `Positional`.
public struct ArgumentSpec: Sendable {
    /// How many words a positional argument takes.
    public enum Arity: Sendable, Equatable {
        case required, optional, repeated
    }

    /// Whether this is a `key=value` option or a positional word.
    public enum Role: Sendable, Equatable {
        case option(key: String)
        case positional(name: String, arity: Arity)
    }

    public let role: Role
    public let kind: ValueKind
    /// The placeholder in usage lines: `N` in `epochs=N`, `NAME` for a positional.
    public let placeholder: String
    /// One line saying what the argument means.
    public let summary: String
    /// The value used when the argument is not given, as text (`5`, `all cores`), or nil.
    public let defaultDescription: String?
    /// What values are allowed, as text (`1…1000`, `sgd, adam`), or nil when any value of
    /// the kind is fine.
    public let allowedDescription: String?
    /// Whether the command cannot run without this argument.
    public let isRequired: Bool
    /// Checks an argument's text, returning what is wrong with it or nil.
    let check: @Sendable (String) -> String?

    init(role: Role, kind: ValueKind, placeholder: String, summary: String,
         defaultDescription: String?, allowedDescription: String?, isRequired: Bool,
         check: @escaping @Sendable (String) -> String?) {
        self.role = role
        self.kind = kind
        self.placeholder = placeholder
        self.summary = summary
        self.defaultDescription = defaultDescription
        self.allowedDescription = allowedDescription
        self.isRequired = isRequired
        self.check = check
    }

    /// The option's key, or nil for a positional.
    public var key: String? {
        if case .option(let key) = role { return key }
        return nil
    }

    /// How the argument is named in messages: `epochs` or `NAME`.
    public var displayName: String {
        switch role {
        case .option(let key): key
        case .positional(let name, _): name
        }
    }

    /// The argument as written in a usage line: `[epochs=N]`, `NAME`, `[N…]`.
    public var usageFragment: String {
        switch role {
        case .option(let key):
            isRequired ? "\(key)=\(placeholder)" : "[\(key)=\(placeholder)]"
        case .positional(_, .required): placeholder
        case .positional(_, .optional): "[\(placeholder)]"
        case .positional(_, .repeated): "[\(placeholder)…]"
        }
    }

    /// The argument as it heads its line in `help CMD`: `epochs=N` or `NAME`.
    public var helpLabel: String {
        switch role {
        case .option(let key): "\(key)=\(placeholder)"
        case .positional: placeholder
        }
    }

    /// Default text check for a value type, with an optional extra range check.
    static func checker<Value: ArgumentValue>(
        _ type: Value.Type, kind: ValueKind, extra: (@Sendable (Value) -> String?)? = nil
    ) -> @Sendable (String) -> String? {
        { text in
            guard let value = Value(argument: text) else {
                return "is not \(kind.expectation)"
            }
            return extra?(value)
        }
    }
}

/// Something a command declares as an argument: an `Option` or a `Positional`.
public protocol ArgumentDeclaration: Sendable {
    var spec: ArgumentSpec { get }
}
