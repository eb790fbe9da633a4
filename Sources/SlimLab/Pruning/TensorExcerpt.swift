import SlimKernels

/// A window of a tensor small enough to print: the top-left corner of its matrix view, where
/// a tensor of rank ≥ 2 is seen as `[shape[0], rest]` (a Dense weight as it is, a Conv2D weight
/// with one filter per row) and a vector as one row.
///
/// Pruning reports show the same window before and after, so the zeros it made are visible.
public struct TensorExcerpt: Sendable, Equatable {
    /// The tensor's name (`fc1.weight`).
    public var name: String
    /// The tensor's full shape.
    public var shape: [Int]
    /// The rows and columns of the matrix view in the window.
    public var rows: Range<Int>
    public var columns: Range<Int>
    /// The matrix view's full size.
    public var totalRows: Int
    public var totalColumns: Int
    /// `values[r][c]` is the element at row `rows.lowerBound + r`, column `columns.lowerBound + c`.
    public var values: [[Float]]

    /// The window of at most `rowCount` × `columnCount` elements starting at (`firstRow`, `firstColumn`).
    public init(name: String, tensor: Tensor<Float>, rowCount: Int = 4, columnCount: Int = 8,
                firstRow: Int = 0, firstColumn: Int = 0) {
        let totalRows = tensor.rank >= 2 ? tensor.shape[0] : 1
        let totalColumns = totalRows == 0 ? 0 : tensor.count / totalRows
        let rows = min(firstRow, totalRows)..<min(firstRow + max(0, rowCount), totalRows)
        let columns = min(firstColumn, totalColumns)..<min(firstColumn + max(0, columnCount), totalColumns)
        self.name = name
        self.shape = tensor.shape
        self.rows = rows
        self.columns = columns
        self.totalRows = totalRows
        self.totalColumns = totalColumns
        self.values = tensor.withUnsafeBufferPointer { buffer in
            rows.map { r in columns.map { c in buffer[r * totalColumns + c] } }
        }
    }

    /// The number of zeros in the window.
    public var zeroCount: Int { values.reduce(0) { $0 + $1.filter { $0 == 0 }.count } }
}
