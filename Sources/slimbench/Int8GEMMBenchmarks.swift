import SlimKernels

/// int8 GEMM (int8 activations × packed int8 weights → exact int32), on the shapes of the fp32
/// group, plus the fused requantizing form a quantized Dense layer runs.
struct Int8GEMMBenchmarks: BenchmarkGroup {
    let name = "int8"
    let title = "int8 GEMM  C = (A − z_a)·Wᵀ, int32 accumulation (\(Int8GEMMPath.best.rawValue) path)"

    static let shapes: [(label: String, m: Int, n: Int, k: Int)] =
        [64, 128, 256, 512, 1024, 2048].map { ("square \($0)", $0, $0, $0) } + [
            ("digits 1797×64→128", 1797, 128, 64),
            ("MNIST fwd 256×784→256", 256, 256, 784),
            ("output 256×256→10", 256, 10, 256),
            ("fwd b256 64→256", 256, 256, 64),
        ]

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        context.threadCounts.flatMap { threads in
            Self.shapes.map { s in
                BenchmarkCase(
                    name: "gemm_i8", label: s.label, shape: [s.m, s.n, s.k], threads: threads,
                    operations: 2 * Double(s.m) * Double(s.n) * Double(s.k), unit: "GOP/s",
                    anchor: .matmulInteger(m: s.m, n: s.n, k: s.k)
                ) {
                    let a = benchmarkInt8(s.m * s.k, seed: 1)
                    let weights = PackedInt8Weights(weights: benchmarkInt8(s.n * s.k, seed: 2), outputCount: s.n,
                                                    inputCount: s.k, scales: [0.01], zeroPoints: [0])
                    var c = [Int32](repeating: 0, count: s.m * s.n)
                    let pool = context.pool(threads)
                    return {
                        c.withUnsafeMutableBufferPointer { cb in
                            gemmInt8(m: s.m, a: a, lda: s.k, aZeroPoint: 3, weights: weights,
                                     c: cb.baseAddress!, ldc: s.n, pool: pool)
                        }
                        blackHole(c)
                    }
                }
            } + [requantized(m: 256, n: 256, k: 784, threads: threads, context)]
        }
    }

    func requantized(m: Int, n: Int, k: Int, threads: Int, _ context: BenchmarkContext) -> BenchmarkCase {
        BenchmarkCase(name: "gemm_i8_requantize", label: "MNIST fwd \(m)×\(k)→\(n), int8 out + ReLU",
                      shape: [m, n, k], threads: threads,
                      operations: 2 * Double(m) * Double(n) * Double(k), unit: "GOP/s") {
            let a = benchmarkInt8(m * k, seed: 1)
            let weights = PackedInt8Weights(weights: benchmarkInt8(n * k, seed: 2), outputCount: n, inputCount: k,
                                            scales: (0..<n).map { _ in 0.01 }, zeroPoints: [Int32](repeating: 0, count: n))
            let r = Int8Requantization(activationScale: 0.02, bias: [Int32](repeating: 5, count: n),
                                       outputScale: 1.5, outputZeroPoint: -3, relu: true)
            var c = [Int8](repeating: 0, count: m * n)
            let pool = context.pool(threads)
            return {
                c.withUnsafeMutableBufferPointer { cb in
                    gemmInt8(m: m, a: a, lda: k, aZeroPoint: 0, weights: weights, requantization: r,
                             c: cb.baseAddress!, ldc: n, pool: pool)
                }
                blackHole(c)
            }
        }
    }
}
