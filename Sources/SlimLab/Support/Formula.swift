import Foundation

/// One formula as a report shows it: the symbolic form, the same form with the real numbers
/// substituted, and (optionally) the result. Numbers stay values, not text, so the REPL
/// chooses the precision.
///
/// Two ways to build one:
///
/// ```swift
/// // A template with {i} placeholders, a named symbol and a result:
/// let s = Formula(symbol: "s", symbolic: "(max - min) / (q_max - q_min)",
///                 template: "({0} - {1}) / ({2} - {3})",
///                 values: [.real(0.8), .real(-0.4), .integer(127), .integer(-128)],
///                 result: .real(0.0047059))
/// s.rendered()   // "s = (max - min) / (q_max - q_min) = (0.8 - (-0.4)) / (127 - (-128)) = 0.004706"
///
/// // Terms in order, the result being the last of them:
/// let k = Formula("k = ⌊n·S⌋", .text("⌊"), .integer(4736), .text("·"), .parameter(0.8),
///                 .text("⌋ = "), .integer(3788))
/// k.rendered(digits: 4)   // "k = ⌊n·S⌋ = ⌊4736·0.8⌋ = 3788"
/// ```
public struct Formula: Sendable, Equatable {
    /// A number in a formula: reals print with a number of significant digits, integers exactly.
    public enum Value: Sendable, Equatable {
        case real(Double)
        case integer(Int)

        /// The value as text with `digits` significant digits (integers exactly).
        public func formatted(digits: Int = 4) -> String {
            switch self {
            case .integer(let n): return String(n)
            case .real(let x): return formatReal(x, digits: digits)
            }
        }

        var isNegative: Bool {
            switch self {
            case .integer(let n): return n < 0
            case .real(let x): return x < 0 || (x == 0 && x.sign == .minus)
            }
        }
    }

    /// One piece of the substituted form.
    public enum Term: Sendable, Equatable {
        /// Symbols and operators, printed as they are.
        case text(String)
        /// A count, printed exactly.
        case integer(Int)
        /// A value the user typed (a sparsity, a ratio), printed in its shortest exact form.
        case parameter(Double)
        /// A computed value (a norm, a threshold), printed with `digits` decimals.
        case value(Double)
        /// A computed value printed with `digits` significant digits.
        case real(Double)
    }

    /// The name of what the formula computes (`s`, `z`, `q`); empty when `symbolic` names it.
    public var symbol: String
    /// The formula in symbols (`(max - min) / (q_max - q_min)`, or `k = ⌊n·S⌋`).
    public var symbolic: String
    /// The right-hand side with numbers substituted.
    public var substituted: [Term]
    /// What the formula evaluates to, when it is not already the last term.
    public var result: Value?

    /// A formula from a template whose `{0}`, `{1}`, … placeholders name `values` by position;
    /// a negative number that follows an operator is parenthesized, so `a - (-b)` reads
    /// unambiguously (`clamp(-128, …)` needs no parentheses).
    public init(symbol: String, symbolic: String, template: String, values: [Value], result: Value) {
        self.symbol = symbol
        self.symbolic = symbolic
        self.result = result
        var terms: [Term] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { terms.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}"),
                  let index = Int(rest[rest.index(after: open)..<close]), values.indices.contains(index)
            else {
                terms.append(.text(String(rest[open...])))
                rest = rest[rest.endIndex...]
                break
            }
            let value = values[index]
            let term: Term
            switch value {
            case .integer(let n): term = .integer(n)
            case .real(let x): term = .real(x)
            }
            // A negative number after an operator is parenthesized (`a - (-b)`);
            // elsewhere (`clamp(-128, …)`) it needs none.
            let before = terms.reversed().lazy.compactMap { term -> Character? in
                if case .text(let s) = term { return s.last(where: { $0 != " " }) } else { return "0" }
            }.first
            let afterOperator = before.map { "+-*/·×^−".contains($0) } ?? false
            terms += value.isNegative && afterOperator ? [.text("("), term, .text(")")] : [term]
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { terms.append(.text(String(rest))) }
        self.substituted = terms
    }

    /// A formula whose substituted form is `substituted`, ending in the result.
    public init(_ symbolic: String, _ substituted: Term...) {
        self.init(symbolic, terms: substituted)
    }

    public init(_ symbolic: String, terms: [Term]) {
        self.symbol = ""
        self.symbolic = symbolic
        self.substituted = terms
        self.result = nil
    }

    /// The substituted form alone.
    public func substitutedText(digits: Int) -> String {
        substituted.map { term in
            switch term {
            case .text(let s): return s
            case .integer(let i): return String(i)
            case .parameter(let x): return Formula.shortest(x)
            case .value(let x): return Formula.fixed(x, digits: digits)
            case .real(let x): return formatReal(x, digits: digits)
            }
        }.joined()
    }

    /// The substituted form alone (significant digits for reals).
    public func substituted(digits: Int = 4) -> String { substitutedText(digits: digits) }

    /// The whole formula on one line: `symbol = symbolic = substituted = result`, or
    /// `symbolic = substituted` for a formula built from terms.
    public func rendered(digits: Int = 4) -> String {
        var parts: [String] = []
        if !symbol.isEmpty { parts.append(symbol) }
        parts.append(symbolic)
        if !substituted.isEmpty { parts.append(substitutedText(digits: digits)) }
        if let result { parts.append(result.formatted(digits: digits)) }
        return parts.joined(separator: " = ")
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

/// `x` with `digits` significant digits in the shortest of fixed or scientific notation,
/// without trailing zeros: 0.0047058823 → "0.004706", 1234567 → "1.235e+06", 2 → "2".
func formatReal(_ x: Double, digits: Int) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    let text = String(format: "%.\(max(1, digits))g", x)
    guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return trimZeros(text) }
    return trimZeros(String(text[..<e])) + text[e...]
}

private func trimZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var trimmed = Substring(text)
    while trimmed.last == "0" { trimmed.removeLast() }
    if trimmed.last == "." { trimmed.removeLast() }
    return String(trimmed)
}
