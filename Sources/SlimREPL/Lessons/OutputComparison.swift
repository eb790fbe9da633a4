/// How a replayed output line is compared with its recorded line: exactly, or — when the
/// lesson sets a tolerance — numbers within a relative tolerance and all other text exactly.
public struct OutputComparison: Sendable {
    public var tolerance: Double?

    public init(tolerance: Double?) { self.tolerance = tolerance }

    public func matches(_ recorded: String, _ replayed: String) -> Bool {
        if recorded == replayed { return true }
        guard let tolerance else { return false }
        let a = Self.tokens(recorded), b = Self.tokens(replayed)
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case let (.text(s), .text(t)): if s != t { return false }
            case let (.number(u), .number(v)):
                let scale = max(abs(u), abs(v))
                if abs(u - v) > tolerance * scale { return false }
            default: return false
            }
        }
        return true
    }

    enum Token: Equatable {
        case text(String)
        case number(Double)
    }

    /// Splits a line into numbers (optional sign, digits, fraction, exponent) and the text
    /// between them. Spacing is part of the text, so alignment changes still count.
    static func tokens(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var text = ""
        let chars = Array(line)
        var i = 0
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        while i < chars.count {
            var j = i
            if (chars[j] == "-" || chars[j] == "+" || chars[j] == "−"), j + 1 < chars.count,
               isDigit(chars[j + 1]) || (chars[j + 1] == "." && j + 2 < chars.count && isDigit(chars[j + 2])) {
                j += 1
            }
            if j < chars.count, isDigit(chars[j]) || (chars[j] == "." && j + 1 < chars.count && isDigit(chars[j + 1])),
               i == 0 || !(chars[i - 1].isLetter) {
                var k = j
                while k < chars.count, isDigit(chars[k]) { k += 1 }
                if k < chars.count, chars[k] == "." { k += 1; while k < chars.count, isDigit(chars[k]) { k += 1 } }
                if k < chars.count, chars[k] == "e" || chars[k] == "E" {
                    var e = k + 1
                    if e < chars.count, chars[e] == "-" || chars[e] == "+" { e += 1 }
                    if e < chars.count, isDigit(chars[e]) {
                        while e < chars.count, isDigit(chars[e]) { e += 1 }
                        k = e
                    }
                }
                let literal = String(chars[i..<k]).replacingMinus()
                if let value = Double(literal) {
                    if !text.isEmpty { tokens.append(.text(text)); text = "" }
                    tokens.append(.number(value))
                    i = k
                    continue
                }
            }
            text.append(chars[i])
            i += 1
        }
        if !text.isEmpty { tokens.append(.text(text)) }
        return tokens
    }
}

private extension String {
    func replacingMinus() -> String { String(map { $0 == "−" ? "-" : $0 }) }
}
