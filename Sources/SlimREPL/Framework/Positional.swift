/// A positional word of a command (`data load NAME`, `compare [VARIANT…]`), declared once as
/// a static property like an `Option`.
///
/// ```swift
/// static let source = Positional<String>("NAME", kind: .name([.dataset, .path]),
///                                        summary: "a shipped dataset or a CSV file")
/// ```
public struct Positional<Value: ArgumentValue>: ArgumentDeclaration {
    public let name: String
    public let defaultValue: Value?
    public let spec: ArgumentSpec

    /// A positional argument.
    ///
    /// - Parameters:
    ///   - name: the placeholder in usage (`NAME`, `TENSOR`).
    ///   - arity: `.required` (default), `.optional`, or `.repeated` (any number, read with
    ///     `arguments.values(_:)`); it must come last.
    ///   - default: the value of an optional positional when absent.
    public init(_ name: String, arity: ArgumentSpec.Arity = .required, default defaultValue: Value? = nil,
                defaultDescription: String? = nil, kind: ValueKind? = nil, summary: String) {
        self.init(name: name, arity: arity, defaultValue: defaultValue,
                  defaultDescription: defaultDescription, kind: kind, summary: summary,
                  allowed: nil, extraCheck: nil)
    }

    init(name: String, arity: ArgumentSpec.Arity, defaultValue: Value?, defaultDescription: String?,
         kind: ValueKind?, summary: String, allowed: String?, extraCheck: (@Sendable (Value) -> String?)?) {
        let kind = kind ?? Value.valueKind
        self.name = name
        self.defaultValue = defaultValue
        self.spec = ArgumentSpec(
            role: .positional(name: name, arity: arity), kind: kind, placeholder: name,
            summary: summary,
            defaultDescription: defaultDescription ?? defaultValue?.argumentText,
            allowedDescription: allowed ?? kind.allowedWords,
            isRequired: arity == .required,
            check: ArgumentSpec.checker(Value.self, kind: kind, extra: extraCheck))
    }
}

extension Positional where Value: Comparable {
    /// A positional number that must lie in `range`.
    public init(_ name: String, arity: ArgumentSpec.Arity = .required, default defaultValue: Value? = nil,
                in range: ClosedRange<Value>, summary: String) {
        let range = ValueRange(range)
        self.init(name: name, arity: arity, defaultValue: defaultValue, defaultDescription: nil,
                  kind: nil, summary: summary, allowed: range.description,
                  extraCheck: { range.contains($0) ? nil : "is out of range" })
    }
}
