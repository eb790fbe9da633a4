/// What an argument's value looks like: drives the usage placeholder, the "allowed" text of
/// help and errors, and Tab completion of values.
public indirect enum ValueKind: Sendable, Equatable {
    /// Free text.
    case text
    /// A whole number.
    case integer
    /// A real number.
    case number
    /// A count with a unit (`8G`, `100T`): its placeholder and what it must be.
    case quantity(placeholder: String, expectation: String)
    /// `on`/`off` (also `yes`/`no`, `true`/`false`, `1`/`0`).
    case boolean
    /// One of a fixed list of words.
    case choice([String])
    /// A comma-separated list of values of the inner kind (`layers=fc1,fc2`).
    case list(ValueKind)
    /// A name of one of these kinds, known to the session (`teacher=baseline`).
    case name([NameKind])

    /// The placeholder shown in usage lines (`N`, `X`, `sgd|adam`, `VARIANT`).
    public var placeholder: String {
        switch self {
        case .text: "TEXT"
        case .integer: "N"
        case .number: "X"
        case .quantity(let placeholder, _): placeholder
        case .boolean: "on|off"
        case .choice(let words): words.joined(separator: "|")
        case .list(let inner): "\(inner.placeholder),…"
        case .name(let kinds): kinds.map { $0.rawValue.uppercased() }.joined(separator: "|")
        }
    }

    /// What a value of this kind must be, for error messages ("a whole number").
    public var expectation: String {
        switch self {
        case .text: "text"
        case .integer: "a whole number"
        case .number: "a number"
        case .quantity(_, let expectation): expectation
        case .boolean: "on or off"
        case .choice(let words): "one of " + words.joined(separator: ", ")
        case .list(let inner): "a comma-separated list of \(inner.pluralExpectation)"
        case .name(let kinds): "a " + kinds.map(\.rawValue).joined(separator: " or ") + " name"
        }
    }

    var pluralExpectation: String {
        switch self {
        case .text: "words"
        case .integer: "whole numbers"
        case .number: "numbers"
        case .quantity(let placeholder, _): "values like \(placeholder)"
        case .boolean: "on/off values"
        case .choice(let words): words.joined(separator: ", ")
        case .list(let inner): "lists of \(inner.pluralExpectation)"
        case .name(let kinds): kinds.map(\.rawValue).joined(separator: " or ") + " names"
        }
    }

    /// Fixed words a value may take, for completion (empty when the values are open).
    public var fixedWords: [String] {
        switch self {
        case .choice(let words): words
        case .boolean: ["on", "off"]
        default: []
        }
    }
}
