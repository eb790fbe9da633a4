import Foundation

/// One formula as a report shows it: the symbolic form, the same expression with the real
/// numbers substituted, and the result.
///
/// The numbers are kept as values (not text) so the renderer chooses the precision; the
/// substitution is a template whose `{0}`, `{1}`, … placeholders name `values` by position.
///
/// ```swift
/// let f = Formula(symbol: "s", symbolic: "(max - min) / (q_max - q_min)",
///                 template: "({0} - {1}) / ({2} - {3})",
///                 values: [.real(0.8), .real(-0.4), .integer(127), .integer(-128)],
///                 result: .real(0.0047059))
/// f.rendered()   // "s = (max - min) / (q_max - q_min) = (0.8 - (-0.4)) / (127 - (-128)) = 0.004706"
/// ```
public struct Formula: Sendable, Equatable {
    /// A number in a formula: reals print with a chosen number of significant digits,
    /// integers exactly.
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

    /// The name of what the formula computes (`s`, `z`, `q`).
    public var symbol: String
    /// The right-hand side in symbols (`(max - min) / (q_max - q_min)`).
    public var symbolic: String
    /// The right-hand side with `{i}` placeholders for `values[i]`.
    public var template: String
    /// The numbers substituted into `template`.
    public var values: [Value]
    /// What the formula evaluates to.
    public var result: Value

    public init(symbol: String, symbolic: String, template: String, values: [Value], result: Value) {
        self.symbol = symbol
        self.symbolic = symbolic
        self.template = template
        self.values = values
        self.result = result
    }

    /// The template with the numbers filled in; a negative number that follows an operator is
    /// parenthesized, so `a - (-b)` reads unambiguously (`clamp(-128, …)` needs no parentheses).
    public func substituted(digits: Int = 4) -> String {
        var text = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let index = Int(rest[rest.index(after: open)..<close]), values.indices.contains(index)
            else {
                text += rest[open...]
                return text
            }
            let value = values[index]
            let shown = value.formatted(digits: digits)
            let afterOperator = text.last(where: { $0 != " " }).map { "+-*/·×^".contains($0) } ?? false
            text += value.isNegative && afterOperator ? "(\(shown))" : shown
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        return text
    }

    /// `symbol = symbolic = substituted = result` on one line.
    public func rendered(digits: Int = 4) -> String {
        "\(symbol) = \(symbolic) = \(substituted(digits: digits)) = \(result.formatted(digits: digits))"
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
