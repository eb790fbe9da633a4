import SlimKernels

/// Sparse × dense: a pruned 1024×1024 weight matrix times a batch of 64 or 256 columns, at
/// 50–95 % sparsity, beside the dense GEMM of the same shape (its baseline row), and the
/// pruned Dense layer's forward pass `X·Wᵀ`.
struct SparseBenchmarks: BenchmarkGroup {
    let name = "sparse"
    let title = "SpMM  C = A_csr·B  (A 1024×1024 pruned weights, B 1024×batch)"

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        let size = 1024
        var result: [BenchmarkCase] = []
        for threads in context.threadCounts {
            for batch in [64, 256] {
                let denseLabel = "dense W·X batch \(batch)"
                result.append(BenchmarkCase(
                    name: "gemm_f32", label: denseLabel, shape: [size, batch, size], threads: threads,
                    sparsity: 0, operations: 2 * Double(size * size * batch),
                    anchor: .matmul(m: size, n: batch, k: size, transA: false, transB: false)
                ) {
                    let w = benchmarkFloats(size * size, seed: 1), x = benchmarkFloats(size * batch, seed: 2)
                    var c = [Float](repeating: 0, count: size * batch)
                    let pool = context.pool(threads)
                    return {
                        c.withUnsafeMutableBufferPointer { cb in
                            gemm(.none, .none, m: size, n: batch, k: size, a: w, lda: size, b: x, ldb: batch,
                                 c: cb.baseAddress!, ldc: batch, pool: pool)
                        }
                        blackHole(c)
                    }
                })
                for sparsity in [0.5, 0.75, 0.9, 0.95] {
                    var spmmCase = BenchmarkCase(
                        name: "spmm_f32", label: "CSR W·X batch \(batch)", shape: [size, batch, size],
                        threads: threads, sparsity: sparsity,
                        operations: 2 * Double(size * size * batch) * (1 - sparsity),
                        anchor: .csrTimesDense(rows: size, columns: size, batch: batch, density: 1 - sparsity)
                    ) {
                        let w = prunedWeights(size, sparsity: sparsity)
                        let x = benchmarkFloats(size * batch, seed: 2)
                        var c = [Float](repeating: 0, count: size * batch)
                        let pool = context.pool(threads)
                        return {
                            c.withUnsafeMutableBufferPointer { cb in
                                spmm(w, b: x, ldb: batch, n: batch, c: cb.baseAddress!, ldc: batch, pool: pool)
                            }
                            blackHole(c)
                        }
                    }
                    spmmCase.baseline = denseLabel
                    result.append(spmmCase)
                }
            }
            var layer = BenchmarkCase(
                name: "linear_csr_f32", label: "pruned Dense X·Wᵀ batch 64", shape: [64, size, size],
                threads: threads, sparsity: 0.9, operations: 2 * Double(size * size * 64) * 0.1
            ) {
                let w = prunedWeights(size, sparsity: 0.9)
                let x = benchmarkFloats(64 * size, seed: 2)
                var y = [Float](repeating: 0, count: 64 * size)
                let pool = context.pool(threads)
                return {
                    y.withUnsafeMutableBufferPointer { yb in
                        linearCSR(x: x, rows: 64, ldx: size, weights: w, bias: nil, y: yb.baseAddress!, ldy: size, pool: pool)
                    }
                    blackHole(y)
                }
            }
            layer.baseline = "dense W·X batch 64"
            result.append(layer)
        }
        return result
    }
}

/// A `size`×`size` random matrix with a seeded random `sparsity` fraction set to zero, in CSR.
func prunedWeights(_ size: Int, sparsity: Double) -> CSRMatrix {
    var g = SeededGenerator(seed: 7)
    let dense = (0..<(size * size)).map { _ -> Float in
        let v = g.uniform(-1, 1)
        return g.nextUnitDouble() < sparsity ? 0 : v
    }
    return CSRMatrix(dense: dense, rows: size, columns: size)
}
