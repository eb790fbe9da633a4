/// An aligned text table: numbers right-aligned, text left-aligned, a rule under the header,
/// an optional marked row (the baseline), fitted to a width by shortening text columns.
///
/// ```
///   variant    params  accuracy
///   ─────────  ──────  ────────
/// ▸ baseline    4,810    97.50%
///   pruned-80     962    97.10%
/// ```
public struct Table: Sendable {
    /// How a column's cells line up.
    public enum Alignment: Sendable {
        case left, right
    }

    /// A column: its title and alignment (nil: right when every cell looks like a number).
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment?

        public init(_ title: String, alignment: Alignment? = nil) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// The cells, row by row; a short row is padded with empty cells.
    public var rows: [[String]]
    /// A row to mark with `▸` in a gutter on the left (e.g. the baseline of a comparison).
    public var markedRow: Int?

    public init(columns: [Column], rows: [[String]], markedRow: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.markedRow = markedRow
    }

    /// A table whose columns are aligned automatically.
    public init(_ titles: [String], rows: [[String]], markedRow: Int? = nil) {
        self.init(columns: titles.map { Column($0) }, rows: rows, markedRow: markedRow)
    }

    /// Columns are separated by this many spaces.
    static let gap = 2
    /// Text columns never shrink below this many columns (or their natural width).
    static let minimumTextWidth = 6

    /// The table as lines joined by `\n` (no trailing spaces, no final line break).
    ///
    /// - Parameters:
    ///   - width: the columns available; text columns are shortened (ending in `…`), widest
    ///     first, until the table fits. Numbers are never cut. Nil: no limit.
    ///   - style: header in bold and the marked row's gutter highlighted, when enabled.
    public func render(width: Int? = nil, style: TextStyler = .plain) -> String {
        let count = columns.count
        guard count > 0 else { return "" }
        let cells = rows.map { row in (0..<count).map { $0 < row.count ? row[$0] : "" } }
        let alignments = (0..<count).map { column in
            columns[column].alignment ?? (Self.isNumericColumn(cells.map { $0[column] }) ? .right : .left)
        }
        var widths = (0..<count).map { column in
            max(DisplayWidth.of(columns[column].title), cells.map { DisplayWidth.of($0[column]) }.max() ?? 0)
        }
        let gutter = markedRow == nil ? 0 : 2
        if let width {
            var total = gutter + widths.reduce(0, +) + Self.gap * (count - 1)
            while total > width {
                let shrinkable = (0..<count).filter {
                    alignments[$0] == .left && widths[$0] > Self.minimumTextWidth
                }
                guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                total -= 1
            }
        }

        func line(_ texts: [String], styleAs textStyle: TextStyle? = nil) -> String {
            var parts: [String] = []
            for column in 0..<count {
                let text = DisplayWidth.truncate(texts[column], to: widths[column])
                let padded = alignments[column] == .right
                    ? DisplayWidth.padLeft(text, to: widths[column])
                    : DisplayWidth.padRight(text, to: widths[column])
                parts.append(padded)
            }
            let joined = parts.joined(separator: String(repeating: " ", count: Self.gap))
            let trimmed = String(joined.reversed().drop { $0 == " " }.reversed())
            return textStyle.map { style(trimmed, $0) } ?? trimmed
        }

        var lines: [String] = []
        let pad = String(repeating: " ", count: gutter)
        lines.append(pad + line(columns.map(\.title), styleAs: .heading))
        lines.append(pad + widths.map { String(repeating: "─", count: $0) }
            .joined(separator: String(repeating: " ", count: Self.gap)))
        for (index, row) in cells.enumerated() {
            let prefix = index == markedRow ? style("▸", .accent) + " " : pad
            lines.append(prefix + line(row))
        }
        return lines.joined(separator: "\n")
    }

    /// Whether every non-empty cell looks like a number (`97.50%`, `2.5×`, `-0.40`, `18.8 KiB`)
    /// and at least one does; `—` and `-` count as empty.
    static func isNumericColumn(_ cells: [String]) -> Bool {
        var sawNumber = false
        for cell in cells {
            if cell.isEmpty || cell == "—" || cell == "-" || cell == "n/a" { continue }
            guard looksNumeric(cell) else { return false }
            sawNumber = true
        }
        return sawNumber
    }

    static func looksNumeric(_ cell: String) -> Bool {
        if ["nan", "inf", "-inf"].contains(cell) { return true }
        var characters = Substring(cell)
        if let first = characters.first, "+-−±".contains(first) { characters = characters.dropFirst() }
        if characters.first == "." { characters = characters.dropFirst() }
        guard let first = characters.first else { return false }
        return first.isASCII && first.isNumber
    }
}
