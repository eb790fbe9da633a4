/// Adds `bias[j]` to every row of the row-major `rows`×`columns` matrix `x` (rows `ld` apart,
/// default `columns`), in place: the
/// `+ b` of a Dense layer's `Y = X·Wᵀ + b`.
public func addBias(
    _ bias: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ld: Int? = nil
) {
    if columns <= 0 { return }
    let ld = ld ?? columns
    for i in 0..<rows {
        let row = x + i * ld
        var j = 0
        while j + 16 <= columns {
            let v = loadVector(row + j)
                + loadVector(bias + j)
            UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: SIMD16<Float>.self)
            j += 16
        }
        while j < columns { row[j] += bias[j]; j += 1 }
    }
}

/// The readable definition of `addBias`.
public func addBiasReference(
    _ bias: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, rows: Int, columns: Int
) {
    for i in 0..<rows {
        for j in 0..<columns { x[i * columns + j] += bias[j] }
    }
}

/// The bias gradient of a Dense layer: `dB[j] = Σ_i dY[i, j]`, the column sums of the
/// row-major `rows`×`columns` matrix `x`, written to `sums` (overwritten).
public func columnSums(
    _ x: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>
) {
    if columns <= 0 { return }
    sums.initialize(repeating: 0, count: columns)
    for i in 0..<rows {
        let row = x + i * columns
        var j = 0
        while j + 16 <= columns {
            let v = loadVector(sums + j)
                + loadVector(row + j)
            UnsafeMutableRawPointer(sums + j).storeBytes(of: v, as: SIMD16<Float>.self)
            j += 16
        }
        while j < columns { sums[j] += row[j]; j += 1 }
    }
}

/// The readable definition of `columnSums`, accumulated in Double.
public func columnSumsReference(
    _ x: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>
) {
    for j in 0..<columns {
        var s: Double = 0
        for i in 0..<rows { s += Double(x[i * columns + j]) }
        sums[j] = Float(s)
    }
}

extension Tensor where Element == Float {
    /// This `[rows, columns]` tensor with `bias` (`[columns]`) added to every row.
    public func addingBias(_ bias: Tensor<Float>) -> Tensor<Float> {
        precondition(rank == 2 && bias.count == shape[1],
                     "addingBias: bias of \(bias.count) elements for a matrix of shape \(shape)")
        var result = self
        result.withUnsafeMutableBufferPointer { x in
            bias.withUnsafeBufferPointer { b in
                addBias(b.baseAddress!, to: x.baseAddress!, rows: shape[0], columns: shape[1])
            }
        }
        return result
    }

    /// The sums of each column of this `[rows, columns]` tensor, shape `[columns]`.
    public func columnSums() -> Tensor<Float> {
        precondition(rank == 2, "columnSums: needs a matrix, got shape \(shape)")
        return Tensor(shape: [shape[1]]) { out in
            withUnsafeBufferPointer { x in
                SlimKernels.columnSums(x.baseAddress!, rows: shape[0], columns: shape[1],
                                       into: out.baseAddress!)
            }
        }
    }
}
