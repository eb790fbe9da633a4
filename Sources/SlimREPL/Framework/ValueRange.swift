/// The bounds a numeric argument must lie within, with the wording errors and help use.
public struct ValueRange<Value: Comparable & ArgumentValue>: Sendable {
    public let lower: Value?
    public let upper: Value?
    public let upperIsInclusive: Bool

    /// `lower…upper`, both included.
    public init(_ range: ClosedRange<Value>) {
        lower = range.lowerBound
        upper = range.upperBound
        upperIsInclusive = true
    }

    /// `lower` included, `upper` excluded (a sparsity in `0..<1`).
    public init(_ range: Range<Value>) {
        lower = range.lowerBound
        upper = range.upperBound
        upperIsInclusive = false
    }

    /// `lower` or more.
    public init(_ range: PartialRangeFrom<Value>) {
        lower = range.lowerBound
        upper = nil
        upperIsInclusive = true
    }

    public func contains(_ value: Value) -> Bool {
        if let lower, value < lower { return false }
        if let upper {
            if upperIsInclusive ? value > upper : value >= upper { return false }
        }
        return true
    }

    /// `1…256`, `0 ≤ x < 1`, `≥ 1`.
    public var description: String {
        switch (lower, upper) {
        case let (lower?, upper?) where upperIsInclusive:
            return "\(lower.argumentText)…\(upper.argumentText)"
        case let (lower?, upper?):
            return "\(lower.argumentText) ≤ x < \(upper.argumentText)"
        case let (lower?, nil):
            return "≥ \(lower.argumentText)"
        case let (nil, upper?):
            return upperIsInclusive ? "≤ \(upper.argumentText)" : "< \(upper.argumentText)"
        case (nil, nil):
            return "any"
        }
    }
}
