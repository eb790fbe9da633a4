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
    ///
    /// - Parameter width: the columns available (nil: no limit). A formula line too long for
    ///   the box breaks at a space and goes on indented under itself; a title too long is cut;
    ///   the meanings of the "where" lines wrap under their own column. The box stays closed.
    public func render(style: TextStyler = .plain, width: Int? = nil) -> String {
        var output: [String] = []
        switch frame {
        case .boxed:
            // "  │ " + line + " │": six columns around the text.
            let room = width.map { max(8, $0 - 6) }
            let shown = room.map { room in lines.flatMap { TextWrapping.breakLine($0, width: room, hanging: "    ") } } ?? lines
            var title = self.title
            if let room, let text = title, DisplayWidth.of(text) + 3 > room {
                title = DisplayWidth.truncate(text, to: max(1, room - 3))
            }
            let titleWidth = title.map { DisplayWidth.of($0) + 3 } ?? 0
            let inner = max(shown.map { DisplayWidth.of($0) }.max() ?? 0, titleWidth) + 2
            if let title {
                output.append("  ┌─ " + style(title, .bold) + " " + String(repeating: "─", count: inner - titleWidth) + "┐")
            } else {
                output.append("  ┌" + String(repeating: "─", count: inner) + "┐")
            }
            for line in shown {
                output.append("  │ " + style(DisplayWidth.padRight(line, to: inner - 2), .accent) + " │")
            }
            output.append("  └" + String(repeating: "─", count: inner) + "┘")
        case .indented:
            if let title { output.append("  " + style(title, .bold)) }
            for line in lines {
                let wrapped = width.map { TextWrapping.breakLine(line, width: max(8, $0 - 4), hanging: "    ") } ?? [line]
                output += wrapped.map { "    " + style($0, .accent) }
            }
        }
        let symbolWidth = terms.map { DisplayWidth.of($0.symbol) }.max() ?? 0
        let valueWidth = terms.map { DisplayWidth.of($0.value) }.max() ?? 0
        for (index, term) in terms.enumerated() {
            let head = (index == 0 ? "  where  " : "         ")
                + DisplayWidth.padRight(term.symbol, to: symbolWidth) + " = "
            guard let meaning = term.meaning else {
                output += Self.fit(head, term.value, width: width, style: nil)
                continue
            }
            output += Self.fit(head + DisplayWidth.padRight(term.value, to: valueWidth) + "  ", meaning,
                               width: width, style: style)
        }
        return output.joined(separator: "\n")
    }

    /// `head` then `text`, the text wrapped under itself when the line would pass `width`.
    private static func fit(_ head: String, _ text: String, width: Int?, style: TextStyler?) -> [String] {
        let indent = DisplayWidth.of(head)
        let paint = { (line: String) in style.map { $0(line, .dim) } ?? line }
        guard let width, indent + DisplayWidth.of(text) > width else { return [head + paint(text)] }
        // Too little room beside the head: the text goes on the lines below, indented by 4.
        let column = width - indent >= 16 ? indent : 4
        let wrapped = TextWrapping.wrap(text, width: width - column)
        let pad = String(repeating: " ", count: column)
        if column == indent {
            return wrapped.enumerated().map { ($0.offset == 0 ? head : pad) + paint($0.element) }
        }
        return [String(head.reversed().drop { $0 == " " }.reversed())] + wrapped.map { pad + paint($0) }
    }
}
