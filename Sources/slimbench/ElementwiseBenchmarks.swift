import SlimKernels

/// The memory-bound kernels around the GEMMs: softmax, cross-entropy, ReLU, quantization,
/// im2col. Rates are GB/s of compulsory traffic (bytes read + written once).
struct ElementwiseBenchmarks: BenchmarkGroup {
    let name = "elementwise"
    let title = "elementwise and reductions (1 thread)"

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        var result: [BenchmarkCase] = []
        for (rows, columns) in [(256, 10), (1024, 1024)] {
            result.append(BenchmarkCase(name: "softmax_f32", label: "softmax rows \(rows)×\(columns)",
                                        shape: [rows, columns, 1], threads: 1,
                                        operations: 8 * Double(rows * columns), unit: "GB/s",
                                        anchor: .softmax(rows: rows, columns: columns)) {
                let x = benchmarkFloats(rows * columns, seed: 1)
                var y = [Float](repeating: 0, count: rows * columns)
                return {
                    y.withUnsafeMutableBufferPointer { softmax(x, $0.baseAddress!, rows: rows, columns: columns) }
                    blackHole(y)
                }
            })
        }
        result.append(BenchmarkCase(name: "cross_entropy_f32", label: "loss + dLogits 256×10",
                                    shape: [256, 10, 1], threads: 1, operations: 8 * 2560, unit: "GB/s") {
            let z = benchmarkFloats(2560, seed: 1)
            let labels = (0..<256).map { $0 % 10 }
            var g = [Float](repeating: 0, count: 2560)
            return {
                let loss = g.withUnsafeMutableBufferPointer {
                    crossEntropy(logits: z, labels: labels, rows: 256, columns: 10, logitsGradient: $0.baseAddress!)
                }
                blackHole(loss)
            }
        })
        let count = 1 << 20
        result.append(BenchmarkCase(name: "relu_f32", label: "ReLU 1M", shape: [count, 1, 1], threads: 1,
                                    operations: 8 * Double(count), unit: "GB/s", anchor: .relu(count: count)) {
            let x = benchmarkFloats(count, seed: 1)
            var y = [Float](repeating: 0, count: count)
            return {
                y.withUnsafeMutableBufferPointer { relu(x, $0.baseAddress!, count: count) }
                blackHole(y)
            }
        })
        result.append(BenchmarkCase(name: "quantize_f32_i8", label: "quantize 1M to int8", shape: [count, 1, 1],
                                    threads: 1, operations: 5 * Double(count), unit: "GB/s",
                                    anchor: .quantize(count: count)) {
            let x = benchmarkFloats(count, seed: 1)
            var q = [Int8](repeating: 0, count: count)
            return {
                q.withUnsafeMutableBufferPointer {
                    quantize(x, count: count, scale: 1.0 / 127, zeroPoint: 0, qmin: -128, qmax: 127, into: $0.baseAddress!)
                }
                blackHole(q)
            }
        })
        let g = ConvolutionGeometry(channels: 8, height: 28, width: 28, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        result.append(BenchmarkCase(name: "im2col_f32", label: "im2col 8×28×28, 3×3 pad 1", shape: [g.patchSize, g.outputPixels, 1],
                                    threads: 1, operations: 4 * Double(g.imageSize + g.patchSize * g.outputPixels), unit: "GB/s") {
            let x = benchmarkFloats(g.imageSize, seed: 1)
            var columns = [Float](repeating: 0, count: g.patchSize * g.outputPixels)
            return {
                columns.withUnsafeMutableBufferPointer { im2col(x, geometry: g, columns: $0.baseAddress!, ldColumns: g.outputPixels) }
                blackHole(columns)
            }
        })
        return result
    }
}
