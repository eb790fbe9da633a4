/// A sparse matrix in compressed sparse row form, as SciPy's `csr_matrix` and PyTorch's
/// `to_sparse_csr` store it: the non-zero `values` row by row, the column of each, and where
/// each row starts (`rowPointers[i] ..< rowPointers[i+1]`, `rows + 1` of them).
///
/// Indices are Int32 (as in SciPy for matrices this size), so the honest size of a pruned
/// layer is `byteCount = 4·nnz + 4·nnz + 4·(rows + 1)`: at 50 % density that is *more* than
/// the dense `4·rows·columns`, which is why pruning only saves memory past ~50 % sparsity.
public struct CSRMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let values: [Float]
    public let columnIndices: [Int32]
    public let rowPointers: [Int32]

    /// Keeps the entries of the row-major `rows`×`columns` matrix `dense` (rows `ld` apart)
    /// whose magnitude exceeds `threshold` (so the default 0 keeps every non-zero).
    public init(dense: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int? = nil, threshold: Float = 0) {
        self.init(rows: rows, columns: columns, ld: ld ?? columns, dense: dense) { _, v in abs(v) > threshold }
    }

    /// Keeps the entries of `dense` where `mask` (same shape) is non-zero: the layout of a
    /// pruning mask, which may keep a weight that happens to be 0.
    public init(dense: UnsafePointer<Float>, mask: UnsafePointer<Float>, rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, ld: columns, dense: dense) { index, _ in mask[index] != 0 }
    }

    /// Keeps the entries of the `[rows, columns]` tensor whose magnitude exceeds `threshold`.
    public init(dense: Tensor<Float>, threshold: Float = 0) {
        precondition(dense.rank == 2, "CSRMatrix: needs a matrix, got shape \(dense.shape)")
        self = dense.withUnsafeBufferPointer {
            CSRMatrix(dense: $0.baseAddress!, rows: dense.shape[0], columns: dense.shape[1], threshold: threshold)
        }
    }

    /// Keeps the entries of the `[rows, columns]` tensor where `mask` is non-zero.
    public init(dense: Tensor<Float>, mask: Tensor<Float>) {
        precondition(dense.rank == 2 && mask.shape == dense.shape,
                     "CSRMatrix: matrix of shape \(dense.shape) with mask of shape \(mask.shape)")
        self = dense.withUnsafeBufferPointer { d in
            mask.withUnsafeBufferPointer { m in
                CSRMatrix(dense: d.baseAddress!, mask: m.baseAddress!, rows: dense.shape[0], columns: dense.shape[1])
            }
        }
    }

    private init(rows: Int, columns: Int, ld: Int, dense: UnsafePointer<Float>,
                 keep: (Int, Float) -> Bool) {
        precondition(rows >= 0 && columns >= 0 && ld >= columns,
                     "CSRMatrix: bad shape \(rows)×\(columns) with ld \(ld)")
        precondition(columns <= Int(Int32.max), "CSRMatrix: \(columns) columns exceed Int32 indices")
        var values: [Float] = [], indices: [Int32] = []
        var pointers: [Int32] = [0]
        pointers.reserveCapacity(rows + 1)
        for i in 0..<rows {
            for j in 0..<columns {
                let v = dense[i * ld + j]
                if keep(i * columns + j, v) { values.append(v); indices.append(Int32(j)) }
            }
            precondition(values.count <= Int(Int32.max), "CSRMatrix: more than Int32.max non-zeros")
            pointers.append(Int32(values.count))
        }
        self.rows = rows
        self.columns = columns
        self.values = values
        self.columnIndices = indices
        self.rowPointers = pointers
    }

    /// A CSR matrix from its three arrays, checked: `rowPointers` has `rows + 1` non-decreasing
    /// entries from 0 to `values.count`, and every column index is in `0..<columns`, ascending
    /// within a row.
    public init(rows: Int, columns: Int, values: [Float], columnIndices: [Int32], rowPointers: [Int32]) throws {
        guard rows >= 0, columns >= 0 else { throw CSRMatrixError.negativeShape(rows: rows, columns: columns) }
        guard values.count == columnIndices.count else {
            throw CSRMatrixError.countMismatch(values: values.count, columnIndices: columnIndices.count)
        }
        guard rowPointers.count == rows + 1, rowPointers.first == 0, rowPointers.last == Int32(values.count) else {
            throw CSRMatrixError.badRowPointers(expectedCount: rows + 1, nonzeros: values.count)
        }
        for i in 0..<rows {
            guard rowPointers[i] <= rowPointers[i + 1] else { throw CSRMatrixError.badRowPointers(expectedCount: rows + 1, nonzeros: values.count) }
            var previous: Int32 = -1
            for p in Int(rowPointers[i])..<Int(rowPointers[i + 1]) {
                let j = columnIndices[p]
                guard j >= 0, Int(j) < columns, j > previous else {
                    throw CSRMatrixError.badColumnIndex(row: i, column: Int(j), columns: columns)
                }
                previous = j
            }
        }
        self.rows = rows
        self.columns = columns
        self.values = values
        self.columnIndices = columnIndices
        self.rowPointers = rowPointers
    }

    /// The number of stored (non-zero) entries.
    public var nonzeroCount: Int { values.count }
    /// Stored entries over all entries (0 for an empty shape).
    public var density: Double { rows * columns == 0 ? 0 : Double(values.count) / Double(rows * columns) }
    /// `1 − density`.
    public var sparsity: Double { 1 - density }
    /// The exact bytes of the three arrays: values (Float), column indices and row pointers (Int32).
    public var byteCount: Int {
        values.count * MemoryLayout<Float>.size + columnIndices.count * MemoryLayout<Int32>.size
            + rowPointers.count * MemoryLayout<Int32>.size
    }
    /// The bytes the same matrix takes dense: `4·rows·columns`.
    public var denseByteCount: Int { rows * columns * MemoryLayout<Float>.size }

    /// The matrix as a dense `[rows, columns]` tensor.
    public func dense() -> Tensor<Float> {
        var t = Tensor<Float>.zeros([rows, columns])
        t.withUnsafeMutableBufferPointer { d in
            for i in 0..<rows {
                for p in Int(rowPointers[i])..<Int(rowPointers[i + 1]) {
                    d[i * columns + Int(columnIndices[p])] = values[p]
                }
            }
        }
        return t
    }
}

/// Why a CSR matrix could not be built from the given arrays.
public enum CSRMatrixError: Error, CustomStringConvertible, Equatable {
    case negativeShape(rows: Int, columns: Int)
    case countMismatch(values: Int, columnIndices: Int)
    case badRowPointers(expectedCount: Int, nonzeros: Int)
    case badColumnIndex(row: Int, column: Int, columns: Int)

    public var description: String {
        switch self {
        case let .negativeShape(rows, columns):
            return "CSR matrix shape \(rows)×\(columns) has a negative dimension"
        case let .countMismatch(values, columnIndices):
            return "CSR matrix has \(values) values but \(columnIndices) column indices; they must match"
        case let .badRowPointers(expectedCount, nonzeros):
            return "CSR row pointers must be \(expectedCount) non-decreasing entries from 0 to \(nonzeros)"
        case let .badColumnIndex(row, column, columns):
            return "CSR row \(row) has column index \(column); allowed are 0..<\(columns), ascending within the row"
        }
    }
}
