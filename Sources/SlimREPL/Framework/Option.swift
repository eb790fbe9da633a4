/// A `key=value` argument of a command, declared once as a static property and used for
/// parsing, validation, help and completion:
///
/// ```swift
/// static let epochs = Option<Int>("epochs", default: 5, in: 1...10_000,
///                                 summary: "passes over the training set")
/// ```
///
/// The command reads it back typed: `epochs = try arguments.value(Self.epochs)`.
public struct Option<Value: ArgumentValue>: ArgumentDeclaration {
    public let key: String
    public let defaultValue: Value?
    public let spec: ArgumentSpec

    /// An option whose value is any `Value`.
    ///
    /// - Parameters:
    ///   - default: the value when the option is absent.
    ///   - defaultDescription: how help shows the default when it is not a fixed value
    ///     ("all cores", "the current model").
    ///   - required: the command cannot run without it.
    ///   - kind: overrides the kind of `Value` (`.name([.variant])` for a `String`).
    ///   - placeholder: overrides the usage placeholder (`N`, `X`, `sgd|adam`).
    public init(_ key: String, default defaultValue: Value? = nil, defaultDescription: String? = nil,
                required: Bool = false, kind: ValueKind? = nil, placeholder: String? = nil,
                summary: String) {
        self.init(key: key, defaultValue: defaultValue, defaultDescription: defaultDescription,
                  required: required, kind: kind, placeholder: placeholder, summary: summary,
                  allowed: nil, extraCheck: nil)
    }

    init(key: String, defaultValue: Value?, defaultDescription: String?, required: Bool,
         kind: ValueKind?, placeholder: String?, summary: String, allowed: String?,
         extraCheck: (@Sendable (Value) -> String?)?) {
        let kind = kind ?? Value.valueKind
        self.key = key
        self.defaultValue = defaultValue
        self.spec = ArgumentSpec(
            role: .option(key: key), kind: kind, placeholder: placeholder ?? kind.placeholder,
            summary: summary,
            defaultDescription: defaultDescription ?? defaultValue?.argumentText,
            allowedDescription: allowed ?? kind.allowedWords,
            isRequired: required,
            check: ArgumentSpec.checker(Value.self, kind: kind, extra: extraCheck))
    }
}

extension Option where Value: Comparable {
    /// An option whose value must lie in `range` (`1...1000`).
    public init(_ key: String, default defaultValue: Value? = nil, defaultDescription: String? = nil,
                required: Bool = false, in range: ClosedRange<Value>, placeholder: String? = nil,
                summary: String) {
        self.init(key, defaultValue, defaultDescription, required, ValueRange(range), placeholder, summary)
    }

    /// An option whose value must lie in the half-open `range` (`0.0..<1.0`).
    public init(_ key: String, default defaultValue: Value? = nil, defaultDescription: String? = nil,
                required: Bool = false, in range: Range<Value>, placeholder: String? = nil,
                summary: String) {
        self.init(key, defaultValue, defaultDescription, required, ValueRange(range), placeholder, summary)
    }

    /// An option whose value must be at least `range.lowerBound` (`1...`).
    public init(_ key: String, default defaultValue: Value? = nil, defaultDescription: String? = nil,
                required: Bool = false, in range: PartialRangeFrom<Value>, placeholder: String? = nil,
                summary: String) {
        self.init(key, defaultValue, defaultDescription, required, ValueRange(range), placeholder, summary)
    }

    private init(_ key: String, _ defaultValue: Value?, _ defaultDescription: String?, _ required: Bool,
                 _ range: ValueRange<Value>, _ placeholder: String?, _ summary: String) {
        self.init(key: key, defaultValue: defaultValue, defaultDescription: defaultDescription,
                  required: required, kind: nil, placeholder: placeholder, summary: summary,
                  allowed: range.description,
                  extraCheck: { range.contains($0) ? nil : "is out of range" })
    }
}

extension ValueKind {
    /// The allowed values as text, when they are a fixed list.
    var allowedWords: String? {
        switch self {
        case .choice(let words): words.joined(separator: ", ")
        case .boolean: "on, off"
        case .list(let inner): inner.allowedWords
        default: nil
        }
    }
}
