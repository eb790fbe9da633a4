/// A formula set apart from the prose, boxed or indented, with the numbers substituted in
/// "where" lines under it:
///
/// ```
///   ┌─ symmetric int8 ───────────────────────┐
///   │ q = clamp(round(x / s), −127, 127)     │
///   └────────────────────────────────────────┘
///   where  s = 0.0123  scale = max|x| / 127
///          x = 0.5000  the weight
/// ```
public struct FormulaBlock: Sendable {
    /// One substituted symbol: `s = 0.0123  scale = max|x| / 127`.
    public struct Term: Sendable {
        public var symbol: String
        public var value: String
        public var meaning: String?

        public init(_ symbol: String, _ value: String, meaning: String? = nil) {
            self.symbol = symbol
            self.value = value
            self.meaning = meaning
        }
    }

    /// How the formula is set apart.
    public enum Frame: Sendable {
        /// In a box, with the title in the top border.
        case boxed
        /// Indented by four spaces, with the title as a line above.
        case indented
    }

    public var title: String?
    /// The formula, one or more lines.
    public var lines: [String]
    /// The symbols and the numbers substituted for them.
    public var terms: [Term]
    public var frame: Frame

    public init(title: String? = nil, lines: [String], terms: [Term] = [], frame: Frame = .boxed) {
        self.title = title
        self.lines = lines
        self.terms = terms
        self.frame = frame
    }

    /// The block as lines joined by `\n`, indented two spaces.
    public func render(style: TextStyler = .plain) -> String {
        var output: [String] = []
        switch frame {
        case .boxed:
            let titleWidth = title.map { DisplayWidth.of($0) + 3 } ?? 0
            let inner = max(lines.map { DisplayWidth.of($0) }.max() ?? 0, titleWidth) + 2
            if let title {
                output.append("  ┌─ " + style(title, .bold) + " " + String(repeating: "─", count: inner - titleWidth) + "┐")
            } else {
                output.append("  ┌" + String(repeating: "─", count: inner) + "┐")
            }
            for line in lines {
                output.append("  │ " + style(DisplayWidth.padRight(line, to: inner - 2), .accent) + " │")
            }
            output.append("  └" + String(repeating: "─", count: inner) + "┘")
        case .indented:
            if let title { output.append("  " + style(title, .bold)) }
            output += lines.map { "    " + style($0, .accent) }
        }
        let symbolWidth = terms.map { DisplayWidth.of($0.symbol) }.max() ?? 0
        let valueWidth = terms.map { DisplayWidth.of($0.value) }.max() ?? 0
        for (index, term) in terms.enumerated() {
            var line = (index == 0 ? "  where  " : "         ")
                + DisplayWidth.padRight(term.symbol, to: symbolWidth) + " = "
            if let meaning = term.meaning {
                line += DisplayWidth.padRight(term.value, to: valueWidth) + "  " + style(meaning, .dim)
            } else {
                line += term.value
            }
            output.append(line)
        }
        return output.joined(separator: "\n")
    }
}
