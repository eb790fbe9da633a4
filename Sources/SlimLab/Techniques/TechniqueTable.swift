/// A table a technique shows (per-layer sparsity, errors, a codebook): column titles and cells
/// that keep their numbers as values. The REPL aligns and fits it to the width.
public struct TechniqueTable: Sendable, Equatable {
    /// How a column's cells line up; nil: right when every cell reads as a number.
    public enum Alignment: Sendable, Equatable {
        case left, right
    }

    public struct Column: Sendable, Equatable {
        public var title: String
        public var alignment: Alignment?

        public init(_ title: String, alignment: Alignment? = nil) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// The cells, row by row.
    public var rows: [[Phrase]]
    /// The row to mark (the chosen temperature, the true class), if any.
    public var markedRow: Int?

    public init(columns: [Column], rows: [[Phrase]], markedRow: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.markedRow = markedRow
    }

    /// A table whose columns align by their contents.
    public init(_ titles: [String], rows: [[Phrase]], markedRow: Int? = nil) {
        self.init(columns: titles.map { Column($0) }, rows: rows, markedRow: markedRow)
    }
}
