import Foundation

/// A formula as a technique applied it: the symbolic form and the same form with the numbers
/// of this layer substituted, kept as terms so the REPL chooses how many digits to print.
///
/// ```swift
/// let f = Formula("k = ⌊n·S⌋", .text("⌊"), .integer(4736), .text("·"), .parameter(0.8),
///                 .text("⌋ = "), .integer(3788))
/// f.rendered(digits: 4)   // "k = ⌊n·S⌋ = ⌊4736·0.8⌋ = 3788"
/// ```
public struct Formula: Sendable, Equatable {
    /// One piece of the substituted form.
    public enum Term: Sendable, Equatable {
        /// Symbols and operators, printed as they are.
        case text(String)
        /// A count, printed exactly.
        case integer(Int)
        /// A value the user typed (a sparsity, a ratio), printed in its shortest exact form.
        case parameter(Double)
        /// A computed value (a norm, a threshold), printed at the session's precision.
        case value(Double)
    }

    /// The formula in symbols, e.g. `k = ⌊n·S⌋`.
    public var symbolic: String
    /// The right-hand side with numbers substituted, ending in the result.
    public var substituted: [Term]

    public init(_ symbolic: String, _ substituted: Term...) {
        self.symbolic = symbolic
        self.substituted = substituted
    }

    public init(_ symbolic: String, terms: [Term]) {
        self.symbolic = symbolic
        self.substituted = terms
    }

    /// The substituted form alone, computed values with `digits` decimals.
    public func substitutedText(digits: Int) -> String {
        substituted.map { term in
            switch term {
            case .text(let s): return s
            case .integer(let i): return String(i)
            case .parameter(let x): return Formula.shortest(x)
            case .value(let x): return Formula.fixed(x, digits: digits)
            }
        }.joined()
    }

    /// `symbolic = substituted`, or just the symbolic form when nothing is substituted.
    public func rendered(digits: Int) -> String {
        substituted.isEmpty ? symbolic : symbolic + " = " + substitutedText(digits: digits)
    }

    /// `x` with exactly `digits` decimals (no exponent), "-0" printed as "0".
    public static func fixed(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "∞" : "−∞") }
        let text = String(format: "%.\(max(0, digits))f", x)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// The shortest decimal that reads back as `x` ("0.8", "3", "0.125").
    public static func shortest(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}
