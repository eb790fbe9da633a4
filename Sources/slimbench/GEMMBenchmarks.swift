import SlimKernels

/// fp32 GEMM: square sizes, the MLP shapes of the issue, and the three products of training
/// small MLPs (forward X·Wᵀ, input gradient dY·W, weight gradient dYᵀ·X).
struct GEMMBenchmarks: BenchmarkGroup {
    let name = "gemm"
    let title = "fp32 GEMM  C = op(A)·op(B)"

    struct Shape {
        var label: String
        var m: Int, n: Int, k: Int
        var transA = Transpose.none, transB = Transpose.none
    }

    static let shapes: [Shape] = [64, 128, 256, 512, 1024, 2048].map { Shape(label: "square \($0)", m: $0, n: $0, k: $0) } + [
        Shape(label: "digits 1797×64→128", m: 1797, n: 128, k: 64, transB: .transposed),
        Shape(label: "MNIST fwd 256×784→256", m: 256, n: 256, k: 784, transB: .transposed),
        Shape(label: "output 256×256→10", m: 256, n: 10, k: 256, transB: .transposed),
        Shape(label: "fwd b32 64→128 X·Wᵀ", m: 32, n: 128, k: 64, transB: .transposed),
        Shape(label: "dX b32 128→64 dY·W", m: 32, n: 64, k: 128),
        Shape(label: "dW b32 64→128 dYᵀ·X", m: 128, n: 64, k: 32, transA: .transposed),
        Shape(label: "fwd b256 64→256 X·Wᵀ", m: 256, n: 256, k: 64, transB: .transposed),
        Shape(label: "dW b256 64→256 dYᵀ·X", m: 256, n: 64, k: 256, transA: .transposed),
        Shape(label: "fwd b128 512→512 X·Wᵀ", m: 128, n: 512, k: 512, transB: .transposed),
        Shape(label: "dX b128 512→512 dY·W", m: 128, n: 512, k: 512),
        Shape(label: "dW b128 512→512 dYᵀ·X", m: 512, n: 512, k: 128, transA: .transposed),
        Shape(label: "dW b256 256→10 dYᵀ·X", m: 10, n: 256, k: 256, transA: .transposed),
    ]

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        context.threadCounts.flatMap { threads in
            Self.shapes.map { s in
                BenchmarkCase(
                    name: "gemm_f32", label: s.label, shape: [s.m, s.n, s.k], threads: threads,
                    operations: 2 * Double(s.m) * Double(s.n) * Double(s.k),
                    anchor: .matmul(m: s.m, n: s.n, k: s.k, transA: s.transA == .transposed,
                                    transB: s.transB == .transposed)
                ) {
                    let a = benchmarkFloats(s.m * s.k, seed: 1), b = benchmarkFloats(s.k * s.n, seed: 2)
                    var c = [Float](repeating: 0, count: s.m * s.n)
                    let pool = context.pool(threads)
                    let lda = s.transA == .none ? s.k : s.m, ldb = s.transB == .none ? s.n : s.k
                    return {
                        c.withUnsafeMutableBufferPointer { cb in
                            gemm(s.transA, s.transB, m: s.m, n: s.n, k: s.k, a: a, lda: lda, b: b, ldb: ldb,
                                 c: cb.baseAddress!, ldc: s.n, pool: pool)
                        }
                        blackHole(c)
                    }
                }
            }
        }
    }
}
