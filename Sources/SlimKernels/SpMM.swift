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
                // Tasks of rows with about equal numbers of non-zeros (pruned rows vary a lot).
                let work = 2 * a.nonzeroCount * n
                let tasks = work < 200_000 ? 1 : min(m, pool.threadCount * 8)
                pool.parallelFor(tasks) { task in
                    let first = balancedRowStart(task, of: tasks, pointers: pointers, rows: m)
                    let last = balancedRowStart(task + 1, of: tasks, pointers: pointers, rows: m)
                    for i in first..<last {
                        let start = Int(pointers[i]), end = Int(pointers[i + 1])
                        sparseRowTimesDense(values.baseAddress! + start, indices.baseAddress! + start, end - start,
                                            b: b, ldb: ldb, n: n, out: c + i * ldc)
                    }
                }
            }
        }
    }
}

/// The first row of task `task` when rows are split into `tasks` runs of about equal non-zeros.
@inline(__always)
func balancedRowStart(_ task: Int, of tasks: Int, pointers: UnsafeBufferPointer<Int32>, rows: Int) -> Int {
    if task == 0 { return 0 }
    if task >= tasks { return rows }
    let target = Int32((Int(pointers[rows]) * task) / tasks)
    // The first row whose non-zeros start at or after the target (binary search).
    var low = 0, high = rows
    while low < high {
        let mid = (low + high) / 2
        if pointers[mid] < target { low = mid + 1 } else { high = mid }
    }
    // Never fewer rows than the row-count share when the matrix has no non-zeros at all.
    return pointers[rows] == 0 ? rows * task / tasks : low
}

/// `out[0..<n] = Σₚ values[p] · B[indices[p], 0..<n]`: one row of C, 64 columns at a time in
/// 16-lane registers (each non-zero: one broadcast, four loads, four fused multiply-adds), then
/// 16 at a time.
@inline(__always)
func sparseRowTimesDense(
    _ values: UnsafePointer<Float>, _ indices: UnsafePointer<Int32>, _ count: Int,
    b: UnsafePointer<Float>, ldb: Int, n: Int, out: UnsafeMutablePointer<Float>
) {
    // Non-zeros take turns among four sets of accumulators, so consecutive fused multiply-adds
    // do not wait for each other and more rows of B are in flight from memory at once.
    var j = 0
    let quads = count / 4
    @inline(__always) func rowOf(_ p: Int, _ j: Int) -> UnsafeRawPointer {
        UnsafeRawPointer(b + (Int(indices[p]) &* ldb &+ j))
    }
    @inline(__always) func add(_ s: inout (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                               _ p: Int, _ j: Int) {
        let v = SIMD16<Float>(repeating: values[p])
        let row = rowOf(p, j)
        fusedMultiplyAdd(&s.0, v, row.loadUnaligned(as: SIMD16<Float>.self))
        fusedMultiplyAdd(&s.1, v, row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
        fusedMultiplyAdd(&s.2, v, row.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
        fusedMultiplyAdd(&s.3, v, row.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
    }
    while j + 64 <= n {
        let zero = SIMD16<Float>()
        var s0 = (zero, zero, zero, zero), s1 = s0, s2 = s0, s3 = s0
        for q in 0..<quads {
            let p = 4 &* q
            add(&s0, p, j); add(&s1, p &+ 1, j); add(&s2, p &+ 2, j); add(&s3, p &+ 3, j)
        }
        var p = 4 &* quads
        if p < count { add(&s0, p, j); p &+= 1 }
        if p < count { add(&s1, p, j); p &+= 1 }
        if p < count { add(&s2, p, j) }
        let o = UnsafeMutableRawPointer(out + j)
        o.storeBytes(of: (s0.0 + s1.0) + (s2.0 + s3.0), as: SIMD16<Float>.self)
        o.storeBytes(of: (s0.1 + s1.1) + (s2.1 + s3.1), toByteOffset: 64, as: SIMD16<Float>.self)
        o.storeBytes(of: (s0.2 + s1.2) + (s2.2 + s3.2), toByteOffset: 128, as: SIMD16<Float>.self)
        o.storeBytes(of: (s0.3 + s1.3) + (s2.3 + s3.3), toByteOffset: 192, as: SIMD16<Float>.self)
        j += 64
    }
    let pairs = count / 2
    while j + 16 <= n {
        var s = SIMD16<Float>(), t = SIMD16<Float>()
        for q in 0..<pairs {
            let p = 2 * q
            fusedMultiplyAdd(&s, SIMD16<Float>(repeating: values[p]),
                             UnsafeRawPointer(b + Int(indices[p]) * ldb + j).loadUnaligned(as: SIMD16<Float>.self))
            fusedMultiplyAdd(&t, SIMD16<Float>(repeating: values[p + 1]),
                             UnsafeRawPointer(b + Int(indices[p + 1]) * ldb + j).loadUnaligned(as: SIMD16<Float>.self))
        }
        if count % 2 == 1 {
            let p = count - 1
            fusedMultiplyAdd(&s, SIMD16<Float>(repeating: values[p]),
                             UnsafeRawPointer(b + Int(indices[p]) * ldb + j).loadUnaligned(as: SIMD16<Float>.self))
        }
        UnsafeMutableRawPointer(out + j).storeBytes(of: s + t, as: SIMD16<Float>.self)
        j += 16
    }
    if j < n {
        let tail = n - j
        for t in 0..<tail { out[j + t] = 0 }
        for p in 0..<count {
            let v = values[p]
            let row = b + Int(indices[p]) * ldb + j
            for t in 0..<tail { out[j + t] = out[j + t].addingProduct(v, row[t]) }
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
    // Yᵀ = W·Xᵀ: with X transposed, each stored weight scales a contiguous row of Xᵀ, so the
    // batch dimension is the vector dimension.
    pool.scratch.withBuffer(of: Float.self, count: k * rows) { xt in
        pool.scratch.withBuffer(of: Float.self, count: out * rows) { yt in
            transpose(x, rows: rows, columns: k, ld: ldx, into: xt, ldOut: rows)
            spmm(w, b: xt, ldb: rows, n: rows, c: yt, ldc: rows, pool: pool)
            transpose(yt, rows: out, columns: rows, ld: rows, into: y, ldOut: ldy)
        }
    }
    if let bias { addBias(bias, to: y, rows: rows, columns: out, ld: ldy) }
}

/// `out[j, i] = x[i, j]` for a `rows × columns` matrix, in 8×8 blocks through registers.
func transpose(_ x: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int,
               into out: UnsafeMutablePointer<Float>, ldOut: Int) {
    var i0 = 0
    while i0 < rows {
        let i1 = min(rows, i0 + 8)
        var j0 = 0
        while j0 < columns {
            let j1 = min(columns, j0 + 8)
            if i1 - i0 == 8 && j1 - j0 == 8 {
                transpose8x8(x + i0 * ld + j0, ld: ld, into: out + j0 * ldOut + i0, ldOut: ldOut)
            } else {
                for i in i0..<i1 {
                    for j in j0..<j1 { out[j * ldOut + i] = x[i * ld + j] }
                }
            }
            j0 = j1
        }
        i0 = i1
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
