/// C = A·B with `A` sparse (`m × k`, CSR) and `B` dense (`k × n`, rows `ldb` apart); `C` is
/// `m × n` (rows `ldc` apart), overwritten. Each stored `a[i, p]` adds `a[i, p] · B[p, :]`
/// to row `i` of C, so the work is `2·nnz·n` flops however sparse A is. Rows of C are split
/// across the pool; every row is summed in the same order, so any thread count gives the
/// same bits.
public func spmm(
    _ a: CSRMatrix, b: UnsafePointer<Float>, ldb: Int, n: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, pool: ComputePool
) {
    precondition(n >= 0 && (ldb >= n || a.columns == 0) && (ldc >= n || a.rows == 0),
                 "spmm: n \(n), ldb \(ldb), ldc \(ldc)")
    let m = a.rows
    if m == 0 || n == 0 { return }
    a.values.withUnsafeBufferPointer { values in
        a.columnIndices.withUnsafeBufferPointer { indices in
            a.rowPointers.withUnsafeBufferPointer { pointers in
                let rowsPerTask = 16
                pool.parallelFor((m + rowsPerTask - 1) / rowsPerTask) { task in
                    for i in (task * rowsPerTask)..<min(m, (task + 1) * rowsPerTask) {
                        let out = c + i * ldc
                        out.initialize(repeating: 0, count: n)
                        for p in Int(pointers[i])..<Int(pointers[i + 1]) {
                            let v = values[p]
                            let row = b + Int(indices[p]) * ldb
                            for j in 0..<n { out[j] += v * row[j] }
                        }
                    }
                }
            }
        }
    }
}

/// The readable definition of `spmm`: for each output, a sparse dot product.
public func spmmReference(
    _ a: CSRMatrix, b: UnsafePointer<Float>, ldb: Int, n: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for i in 0..<a.rows {
        for j in 0..<n {
            var sum: Double = 0
            for p in Int(a.rowPointers[i])..<Int(a.rowPointers[i + 1]) {
                sum += Double(a.values[p]) * Double(b[Int(a.columnIndices[p]) * ldb + j])
            }
            c[i * ldc + j] = Float(sum)
        }
    }
}

/// The forward pass of a pruned Dense layer: `Y = X·Wᵀ (+ bias)` with `X` dense
/// (`rows × W.columns`, rows `ldx` apart) and the `[out, in]` weights `W` in CSR; `Y` is
/// `rows × W.rows` (rows `ldy` apart), overwritten.
public func linearCSR(
    x: UnsafePointer<Float>, rows: Int, ldx: Int, weights w: CSRMatrix, bias: UnsafePointer<Float>?,
    y: UnsafeMutablePointer<Float>, ldy: Int, pool: ComputePool
) {
    let out = w.rows, k = w.columns
    if rows == 0 || out == 0 { return }
    // Yᵀ = W·Xᵀ: transpose X so each stored weight scales a contiguous row of Xᵀ.
    let xt = UnsafeMutablePointer<Float>.allocate(capacity: max(1, k * rows))
    let yt = UnsafeMutablePointer<Float>.allocate(capacity: out * rows)
    defer { xt.deallocate(); yt.deallocate() }
    for i in 0..<rows { for p in 0..<k { xt[p * rows + i] = x[i * ldx + p] } }
    spmm(w, b: xt, ldb: rows, n: rows, c: yt, ldc: rows, pool: pool)
    for i in 0..<rows {
        for j in 0..<out { y[i * ldy + j] = yt[j * rows + i] + (bias?[j] ?? 0) }
    }
}

/// The readable definition of `linearCSR`.
public func linearCSRReference(
    x: UnsafePointer<Float>, rows: Int, ldx: Int, weights w: CSRMatrix, bias: UnsafePointer<Float>?,
    y: UnsafeMutablePointer<Float>, ldy: Int
) {
    for i in 0..<rows {
        for j in 0..<w.rows {
            var sum: Double = 0
            for p in Int(w.rowPointers[j])..<Int(w.rowPointers[j + 1]) {
                sum += Double(w.values[p]) * Double(x[i * ldx + Int(w.columnIndices[p])])
            }
            y[i * ldy + j] = Float(sum) + (bias?[j] ?? 0)
        }
    }
}

extension CSRMatrix {
    /// `self · b` for a dense `[columns, n]` tensor `b`: shape `[rows, n]`.
    public func multiplied(by b: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        precondition(b.rank == 2 && b.shape[0] == columns,
                     "CSRMatrix.multiplied: \(rows)×\(columns) sparse times dense of shape \(b.shape)")
        let n = b.shape[1]
        return Tensor(shape: [rows, n]) { c in
            b.withUnsafeBufferPointer { bb in
                spmm(self, b: bb.baseAddress!, ldb: n, n: n, c: c.baseAddress!, ldc: n, pool: pool)
            }
        }
    }

    /// `x · selfᵀ (+ bias)` for a `[batch, columns]` tensor `x`: a pruned Dense layer's
    /// forward pass with these as its `[out, in]` weights. Shape `[batch, rows]`.
    public func linear(_ x: Tensor<Float>, bias: Tensor<Float>? = nil, pool: ComputePool) -> Tensor<Float> {
        precondition(x.rank == 2 && x.shape[1] == columns,
                     "CSRMatrix.linear: input of shape \(x.shape) for weights \(rows)×\(columns)")
        precondition(bias == nil || bias!.count == rows, "CSRMatrix.linear: \(bias!.count) biases for \(rows) outputs")
        let batch = x.shape[0]
        return Tensor(shape: [batch, rows]) { y in
            x.withUnsafeBufferPointer { xb in
                if let bias {
                    bias.withUnsafeBufferPointer { bb in
                        linearCSR(x: xb.baseAddress!, rows: batch, ldx: columns, weights: self,
                                  bias: bb.baseAddress!, y: y.baseAddress!, ldy: rows, pool: pool)
                    }
                } else {
                    linearCSR(x: xb.baseAddress!, rows: batch, ldx: columns, weights: self,
                              bias: nil, y: y.baseAddress!, ldy: rows, pool: pool)
                }
            }
        }
    }
}
