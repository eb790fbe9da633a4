import _SlimKernelsAVX2

/// C = A·B with `A` sparse (`m × k`, CSR) and `B` dense (`k × n`, rows `ldb` apart); `C` is
/// `m × n` (rows `ldc` apart), overwritten. Each stored `a[i, p]` adds `a[i, p] · B[p, :]`
/// to row `i` of C, so the work is `2·nnz·n` flops however sparse A is. Rows of C are split
/// across the pool.
///
/// Same bits as the dense GEMM of the same matrix with its zeros: each element of C is one
/// chain of fused multiply-adds over the stored entries in ascending column order, cut into the
/// GEMM's reduction blocks (`gemmReductionBlock`), each block's sum added to C as the GEMM adds
/// it. A stored zero or a skipped one adds ±0 to a chain, which changes nothing — except the
/// sign of an exact zero result, or where B holds an infinity or NaN that the GEMM would
/// multiply by a pruned 0. So a pruned layer may switch between this kernel and the GEMM (by
/// their measured crossover) without its outputs changing; any path and thread count agree.
public func spmm(
    _ a: CSRMatrix, b: UnsafePointer<Float>, ldb: Int, n: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, pool: ComputePool, path: KernelPath = .best
) {
    precondition(path.isAvailable, "spmm: the \(path.rawValue) path is not available on this machine/build")
    precondition(n >= 0 && (ldb >= n || a.columns == 0) && (ldc >= n || a.rows == 0),
                 "spmm: n \(n), ldb \(ldb), ldc \(ldc)")
    let m = a.rows
    if m == 0 || n == 0 { return }
    a.values.withUnsafeBufferPointer { values in
        a.columnIndices.withUnsafeBufferPointer { indices in
            a.rowPointers.withUnsafeBufferPointer { pointers in
                // Tasks of rows with about equal numbers of non-zeros (pruned rows vary a lot).
                // The row kernel runs at about 50 useful GFLOP/s (see `parallelTasks`).
                let microseconds = Double(2 * a.nonzeroCount * n) / 50_000
                let tasks = parallelTasks(threads: pool.threadCount, microseconds: microseconds) == 1
                    ? 1 : min(m, pool.threadCount * 8)
                let k = a.columns, kc = gemmReductionBlock(k: k)
                let sparsePath = path.sparse
                pool.parallelFor(tasks) { task in
                    let first = balancedRowStart(task, of: tasks, pointers: pointers, rows: m)
                    let last = balancedRowStart(task + 1, of: tasks, pointers: pointers, rows: m)
                    for i in first..<last {
                        var q = Int(pointers[i])
                        let end = Int(pointers[i + 1])
                        // One run of entries per reduction block of the GEMM (empty runs too:
                        // the GEMM adds their +0 as well).
                        var blockStart = 0
                        repeat {
                            let limit = Int32(truncatingIfNeeded: blockStart + kc)
                            var e = q
                            while e < end && indices[e] < limit { e += 1 }
                            let merge: Int32 = blockStart == 0 ? 0 : 2
                            switch sparsePath {
                            case .avx2, .avx512:
                                #if arch(x86_64)
                                avx2SparseRow(values.baseAddress! + q, indices.baseAddress! + q, e - q,
                                              b: b, ldb: ldb, n: n, out: c + i * ldc, merge: merge)
                                #endif
                            case .generic:
                                sparseRowTimesDense(values.baseAddress! + q, indices.baseAddress! + q, e - q,
                                                    b: b, ldb: ldb, n: n, out: c + i * ldc, merge: merge)
                            }
                            q = e
                            blockStart += kc
                        } while blockStart < k
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

/// `out[0..<n] (=|+=) Σ_q values[q] · B[indices[q], 0..<n]` in the generic SIMD code: each
/// element one chain of fused multiply-adds in the entries' order (see `avx2SparseRow`, whose
/// arithmetic this repeats), stored (`merge` 0) or added to `out` (`merge` 2). 64 columns at a
/// time keep four independent chains in flight, then 16, then one.
@inline(never)
func sparseRowTimesDense(
    _ values: UnsafePointer<Float>, _ indices: UnsafePointer<Int32>, _ count: Int,
    b: UnsafePointer<Float>, ldb: Int, n: Int, out: UnsafeMutablePointer<Float>, merge: Int32
) {
    @inline(__always) func put(_ j: Int, _ v: SIMD16<Float>) {
        let o = UnsafeMutableRawPointer(out + j)
        o.storeBytes(of: merge == 0 ? v : v + o.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
    }
    var j = 0
    while j + 64 <= n {
        var s0 = SIMD16<Float>(), s1 = s0, s2 = s0, s3 = s0
        for q in 0..<count {
            let v = SIMD16<Float>(repeating: values[q])
            let row = UnsafeRawPointer(b + (Int(indices[q]) &* ldb &+ j))
            fusedMultiplyAdd(&s0, v, row.loadUnaligned(as: SIMD16<Float>.self))
            fusedMultiplyAdd(&s1, v, row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
            fusedMultiplyAdd(&s2, v, row.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
            fusedMultiplyAdd(&s3, v, row.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
        }
        put(j, s0); put(j + 16, s1); put(j + 32, s2); put(j + 48, s3)
        j += 64
    }
    while j + 16 <= n {
        var s0 = SIMD16<Float>()
        for q in 0..<count {
            fusedMultiplyAdd(&s0, SIMD16<Float>(repeating: values[q]),
                             UnsafeRawPointer(b + (Int(indices[q]) &* ldb &+ j)).loadUnaligned(as: SIMD16<Float>.self))
        }
        put(j, s0)
        j += 16
    }
    while j < n {
        var s: Float = 0
        for q in 0..<count { s = s.addingProduct(values[q], b[Int(indices[q]) &* ldb &+ j]) }
        out[j] = merge == 0 ? s : s + out[j]
        j += 1
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
    y: UnsafeMutablePointer<Float>, ldy: Int, pool: ComputePool, path: KernelPath = .best
) {
    let out = w.rows, k = w.columns
    if rows == 0 || out == 0 { return }
    // Yᵀ = W·Xᵀ: with X transposed, each stored weight scales a contiguous row of Xᵀ, so the
    // batch dimension is the vector dimension.
    pool.scratch.withBuffer(of: Float.self, count: k * rows) { xt in
        pool.scratch.withBuffer(of: Float.self, count: out * rows) { yt in
            transpose(x, rows: rows, columns: k, ld: ldx, into: xt, ldOut: rows)
            spmm(w, b: xt, ldb: rows, n: rows, c: yt, ldc: rows, pool: pool, path: path)
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
