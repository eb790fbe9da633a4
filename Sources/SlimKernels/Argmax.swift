/// The column of the largest element of each row of the row-major `rows`×`columns` matrix
/// `x`: the predicted class of each sample. Ties go to the first (lowest) column, as in
/// NumPy and PyTorch; NaN elements are never chosen unless a row is all NaN (then 0).
public func argmaxRows(
    _ x: UnsafePointer<Float>, rows: Int, columns: Int, into indices: UnsafeMutablePointer<Int>
) {
    precondition(columns > 0 || rows == 0, "argmaxRows: rows need at least one column")
    for i in 0..<rows {
        let row = x + i * columns
        var best = 0
        var bestValue = row[0]
        for j in 1..<max(columns, 1) where row[j] > bestValue || (bestValue.isNaN && !row[j].isNaN) {
            best = j
            bestValue = row[j]
        }
        indices[i] = best
    }
}

/// The readable definition of `argmaxRows`.
public func argmaxRowsReference(
    _ x: UnsafePointer<Float>, rows: Int, columns: Int, into indices: UnsafeMutablePointer<Int>
) {
    for i in 0..<rows {
        var best = -1
        for j in 0..<columns where !x[i * columns + j].isNaN {
            if best < 0 || x[i * columns + j] > x[i * columns + best] { best = j }
        }
        indices[i] = max(best, 0)
    }
}

extension Tensor where Element == Float {
    /// The index of the largest element of each row of this `[rows, columns]` tensor.
    public func argmaxRows() -> [Int] {
        precondition(rank == 2, "argmaxRows: needs a matrix, got shape \(shape)")
        let rows = shape[0]
        if rows == 0 { return [] }
        return [Int](unsafeUninitializedCapacity: rows) { out, initialized in
            withUnsafeBufferPointer { x in
                SlimKernels.argmaxRows(x.baseAddress!, rows: rows, columns: shape[1], into: out.baseAddress!)
            }
            initialized = rows
        }
    }
}
