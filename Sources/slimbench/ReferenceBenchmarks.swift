import SlimKernels

/// The naive reference kernels at small sizes, to show what the optimized ones are worth.
struct ReferenceBenchmarks: BenchmarkGroup {
    let name = "reference"
    let title = "naive references (for scale; 1 thread)"

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        let floats: [BenchmarkCase] = [64, 128, 256].map { n in
            BenchmarkCase(name: "gemm_f32_reference", label: "square \(n)", shape: [n, n, n], threads: 1,
                          operations: 2 * Double(n * n * n)) {
                let a = benchmarkFloats(n * n, seed: 1), b = benchmarkFloats(n * n, seed: 2)
                var c = [Float](repeating: 0, count: n * n)
                return {
                    c.withUnsafeMutableBufferPointer {
                        gemmReference(.none, .none, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n,
                                      beta: 0, c: $0.baseAddress!, ldc: n)
                    }
                    blackHole(c)
                }
            }
        }
        let integers: [BenchmarkCase] = [64, 128].map { n in
            BenchmarkCase(name: "gemm_i8_reference", label: "square \(n)", shape: [n, n, n], threads: 1,
                          operations: 2 * Double(n * n * n), unit: "GOP/s") {
                let a = benchmarkInt8(n * n, seed: 1), w = benchmarkInt8(n * n, seed: 2)
                var c = [Int32](repeating: 0, count: n * n)
                return {
                    c.withUnsafeMutableBufferPointer {
                        gemmInt8Reference(m: n, n: n, k: n, a: a, lda: n, aZeroPoint: 0, w: w, ldw: n,
                                          weightZeroPoints: [0], c: $0.baseAddress!, ldc: n)
                    }
                    blackHole(c)
                }
            }
        }
        return floats + integers
    }
}
