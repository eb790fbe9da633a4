/// Text with numbers in it that stay values (`Quantity`): a note, a table cell or a line of a
/// technique's outcome. Written with string interpolation:
///
/// ```swift
/// let line: Phrase = "\(count: 1347) training samples, \(percent: 0.05, digits: 1) labeled"
/// // the REPL prints "1,347 training samples, 5.0% labeled"
/// ```
public struct Phrase: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// One piece: text as it is, or a number for the REPL to format.
    public enum Piece: Sendable, Equatable {
        case text(String)
        case number(Quantity)
    }

    public var pieces: [Piece]

    /// The pieces, adjacent texts joined, so equal phrases have equal pieces.
    public init(_ pieces: [Piece]) {
        var joined: [Piece] = []
        for piece in pieces {
            if case .text(let next) = piece, case .text(let last)? = joined.last {
                joined[joined.count - 1] = .text(last + next)
            } else if piece != .text("") {
                joined.append(piece)
            }
        }
        self.pieces = joined
    }

    /// Plain text.
    public init(_ text: String) { pieces = text.isEmpty ? [] : [.text(text)] }

    /// One number.
    public init(_ quantity: Quantity) { pieces = [.number(quantity)] }

    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: Interpolation) { self.init(stringInterpolation.pieces) }

    /// The numbers of the phrase, in order (handy for tests).
    public var quantities: [Quantity] {
        pieces.compactMap { if case .number(let q) = $0 { q } else { nil } }
    }

    /// The text with every number written by `format`.
    public func text(_ format: (Quantity) -> String) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let s): return s
            case .number(let q): return format(q)
            }
        }.joined()
    }

    public static func + (a: Phrase, b: Phrase) -> Phrase { Phrase(a.pieces + b.pieces) }

    public static func += (a: inout Phrase, b: Phrase) { a = a + b }

    /// `parts` with `separator` between them.
    public static func joined(_ parts: [Phrase], separator: String) -> Phrase {
        var result = Phrase([])
        for (index, part) in parts.enumerated() {
            if index > 0 { result += Phrase(separator) }
            result += part
        }
        return result
    }

    public struct Interpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { pieces.append(.text(literal)) } }
        public mutating func appendInterpolation(_ text: String) { appendLiteral(text) }
        public mutating func appendInterpolation(_ n: Int) { appendLiteral(String(n)) }
        public mutating func appendInterpolation(_ phrase: Phrase) { pieces += phrase.pieces }
        public mutating func appendInterpolation(_ quantity: Quantity) { pieces.append(.number(quantity)) }
        public mutating func appendInterpolation(count n: Int) { pieces.append(.number(.count(n))) }
        public mutating func appendInterpolation(percent x: Double, digits: Int = 2) {
            pieces.append(.number(.percent(x, digits: digits)))
        }
        public mutating func appendInterpolation(fixed x: Double, digits: Int? = nil) {
            pieces.append(.number(.fixed(x, digits: digits)))
        }
        public mutating func appendInterpolation(significant x: Double, digits: Int? = nil) {
            pieces.append(.number(.significant(x, digits: digits)))
        }
        public mutating func appendInterpolation(setting x: Double) { pieces.append(.number(.setting(x))) }
        public mutating func appendInterpolation(bytes n: Int) { pieces.append(.number(.bytes(n))) }
    }
}
