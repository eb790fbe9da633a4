/// A table a technique shows (per-layer sparsity, errors, a codebook): column titles and cells
/// that keep their numbers as values. The REPL aligns it and fits it to the width.
public struct TechniqueTable: Sendable, Equatable {
    /// A column's title, how its cells line up (nil: right when every cell reads as a number,
    /// left otherwise), and what it gives up first when the table is wider than the screen.
    public struct Column: Sendable, Equatable {
        public var title: String
        public var alignment: Alignment? = nil
        public var overflow: Overflow = .shorten
    }

    public enum Alignment: Sendable, Equatable { case left, right }
    /// Names are shortened (last of all); descriptions wrap onto more lines; details are left out.
    public enum Overflow: Sendable, Equatable { case shorten, wrap, drop }

    public var columns: [Column]
    /// The cells, row by row.
    public var rows: [[Phrase]]
    /// The row to mark (the chosen temperature, the true class), if any.
    public var markedRow: Int? = nil
}

extension TechniqueTable {
    /// A table whose columns align by their contents.
    public init(_ titles: [String], rows: [[Phrase]], markedRow: Int? = nil) {
        self.init(columns: titles.map { Column(title: $0) }, rows: rows, markedRow: markedRow)
    }
}
