/// A type an argument's text converts to. `Int`, `UInt64`, `Double`, `Float`, `Bool`,
/// `String`, arrays of those (comma-separated) and `String`-backed `CaseIterable` enums conform.
///
/// Fixed choices are enums, so the allowed words are written once:
///
/// ```swift
/// enum OptimizerKind: String, CaseIterable, ArgumentValue { case sgd, adam }
/// ```
public protocol ArgumentValue: Sendable {
    /// Converts an argument's text; `nil` when the text is not a value of this type.
    init?(argument: String)
    /// The kind of value, for help, errors and completion.
    static var valueKind: ValueKind { get }
    /// The value written as a user would type it (for defaults in help, and `set`).
    var argumentText: String { get }
}

extension ArgumentValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var valueKind: ValueKind { .choice(allCases.map(\.rawValue)) }
    public var argumentText: String { rawValue }
}

extension Int: ArgumentValue {
    public init?(argument: String) { self.init(argument.replacingUnderscores()) }
    public static var valueKind: ValueKind { .integer }
    public var argumentText: String { String(self) }
}

extension UInt64: ArgumentValue {
    public init?(argument: String) { self.init(argument.replacingUnderscores()) }
    public static var valueKind: ValueKind { .integer }
    public var argumentText: String { String(self) }
}

extension Double: ArgumentValue {
    public init?(argument: String) {
        guard let value = Double(argument.replacingUnderscores()), value.isFinite else { return nil }
        self = value
    }
    public static var valueKind: ValueKind { .number }
    public var argumentText: String { NumberFormatting.shortest(self) }
}

extension Float: ArgumentValue {
    public init?(argument: String) {
        guard let value = Float(argument.replacingUnderscores()), value.isFinite else { return nil }
        self = value
    }
    public static var valueKind: ValueKind { .number }
    public var argumentText: String { NumberFormatting.shortest(float: self) }
}

extension Bool: ArgumentValue {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "on", "yes", "true", "1": self = true
        case "off", "no", "false", "0": self = false
        default: return nil
        }
    }
    public static var valueKind: ValueKind { .boolean }
    public var argumentText: String { self ? "on" : "off" }
}

extension String: ArgumentValue {
    public init?(argument: String) { self = argument }
    public static var valueKind: ValueKind { .text }
    public var argumentText: String { self }
}

extension Array: ArgumentValue where Element: ArgumentValue {
    public init?(argument: String) {
        var values: [Element] = []
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty, let value = Element(argument: String(item)) else { return nil }
            values.append(value)
        }
        self = values
    }
    public static var valueKind: ValueKind { .list(Element.valueKind) }
    public var argumentText: String { map(\.argumentText).joined(separator: ",") }
}

extension String {
    /// `1_000` reads as `1000`, as in Swift source.
    fileprivate func replacingUnderscores() -> String {
        contains("_") ? String(filter { $0 != "_" }) : self
    }
}
