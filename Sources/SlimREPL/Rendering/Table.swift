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

    /// What a column gives up when the table is wider than the width.
    public enum Overflow: Sendable {
        /// Its cells are shortened, ending in `…` (names, once nothing else can give).
        case truncate
        /// Its cells wrap onto more lines (descriptions); it narrows first.
        case wrap
        /// The whole column is left out (optional details), after wrapping columns narrowed.
        case drop
    }

    /// A column: its title, alignment (nil: right when every cell looks like a number) and
    /// what it gives up when space is short.
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment?
        public var overflow: Overflow

        public init(_ title: String, alignment: Alignment? = nil, overflow: Overflow = .truncate) {
            self.title = title
            self.alignment = alignment
            self.overflow = overflow
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
    /// Wrapping columns never narrow below this many columns (or their natural width).
    static let minimumWrapWidth = 10

    /// The table as lines joined by `\n` (no trailing spaces, no final line break).
    ///
    /// - Parameters:
    ///   - width: the columns available. When the table is wider, in this order: `.wrap`
    ///     columns narrow (widest first) and their cells wrap onto more lines; `.drop` columns
    ///     are left out, the last first; then text columns are shortened (ending in `…`),
    ///     widest first. Numbers are never cut. Nil: no limit.
    ///   - style: header in bold and the marked row's gutter highlighted, when enabled.
    public func render(width: Int? = nil, style: TextStyler = .plain) -> String {
        guard !columns.isEmpty else { return "" }
        let all = rows.map { row in columns.indices.map { $0 < row.count ? row[$0] : "" } }
        let alignments = columns.indices.map { column in
            columns[column].alignment ?? (Self.isNumericColumn(all.map { $0[column] }) ? .right : .left)
        }
        var shown = Array(columns.indices)
        var widths = columns.indices.map { column in
            max(DisplayWidth.of(columns[column].title), all.map { DisplayWidth.of($0[column]) }.max() ?? 0)
        }
        let gutter = markedRow == nil ? 0 : 2
        if let width {
            func total() -> Int { gutter + shown.map { widths[$0] }.reduce(0, +) + Self.gap * (shown.count - 1) }
            func narrowest(_ candidates: [Int]) -> Bool {
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { return false }
                widths[widest] -= 1
                return true
            }
            while total() > width, narrowest(shown.filter {
                columns[$0].overflow == .wrap && widths[$0] > Self.minimumWrapWidth
            }) {}
            while total() > width, let last = shown.last(where: { columns[$0].overflow == .drop }) {
                shown.removeAll { $0 == last }
            }
            while total() > width, narrowest(shown.filter {
                alignments[$0] == .left && widths[$0] > Self.minimumTextWidth
            }) {}
        }

        /// One row's cells as lines: wrapping columns wrap, the others are cut to their width.
        func lines(_ texts: [String], styleAs textStyle: TextStyle? = nil) -> [String] {
            let cells = shown.map { column -> [String] in
                let text = texts[column]
                if columns[column].overflow == .wrap, DisplayWidth.of(text) > widths[column] {
                    return TextWrapping.wrap(text, width: widths[column])
                }
                return [DisplayWidth.truncate(text, to: widths[column])]
            }
            let height = cells.map(\.count).max() ?? 1
            return (0..<height).map { row in
                var parts: [String] = []
                for (index, column) in shown.enumerated() {
                    let text = row < cells[index].count ? cells[index][row] : ""
                    parts.append(alignments[column] == .right
                        ? DisplayWidth.padLeft(text, to: widths[column])
                        : DisplayWidth.padRight(text, to: widths[column]))
                }
                let joined = parts.joined(separator: String(repeating: " ", count: Self.gap))
                let trimmed = String(joined.reversed().drop { $0 == " " }.reversed())
                return textStyle.map { style(trimmed, $0) } ?? trimmed
            }
        }

        var output: [String] = []
        let pad = String(repeating: " ", count: gutter)
        output += lines(columns.map(\.title), styleAs: .heading).map { pad + $0 }
        output.append(pad + shown.map { String(repeating: "─", count: widths[$0]) }
            .joined(separator: String(repeating: " ", count: Self.gap)))
        for (index, row) in all.enumerated() {
            for (lineIndex, line) in lines(row).enumerated() {
                let prefix = index == markedRow && lineIndex == 0 ? style("▸", .accent) + " " : pad
                output.append(prefix + line)
            }
        }
        return output.joined(separator: "\n")
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
