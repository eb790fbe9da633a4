import Foundation
import SlimKernels
import SlimLab

/// Whole-model inference at batch 256: the fp32 model on the fp32 GEMM beside its static
/// int8 variant on the int8 engine (input quantized once, int8 codes between layers, the
/// requantization and ReLU fused into the int8 GEMM, Float logits), and the weight-only int4
/// variant (weights dequantized for every product). Rows are digits test samples, the
/// activation ranges calibrated on 256 training rows with the percentile method.
///
/// The rate counts the Dense products only: 2·batch·Σ in·out per call.
struct QuantizedModelBenchmarks: BenchmarkGroup {
    let name = "int8-model"
    let title = "inference of a whole model, batch 256: fp32 vs static int8 (\(Int8GEMMPath.best.rawValue) path) vs int4 weights"

    static let batch = 256
    /// The digits MLP, and a wider one where the GEMMs dominate the fixed costs.
    static let networks = ["64-64-10", "64-256-256-10"]

    enum Variant: String, CaseIterable {
        case fp32, int8 = "int8 static", int4Weights = "int4 weights"
    }

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        var result: [BenchmarkCase] = []
        for threads in context.threadCounts {
            for network in Self.networks {
                let sizes = network.split(separator: "-").map { Int($0)! }
                let operations = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + 2 * Double(Self.batch * $1.0 * $1.1) }
                for variant in Variant.allCases {
                    result.append(BenchmarkCase(
                        name: "model_infer", label: "mlp \(network) \(variant.rawValue)",
                        shape: [Self.batch, sizes.last!, sizes.first!], threads: threads, operations: operations, unit: "GOP/s",
                        baseline: variant == .fp32 ? nil : "mlp \(network) fp32") {
                        let (model, rows) = Self.prepare(network: network, variant: variant)
                        let pool = context.pool(threads)
                        return { blackHole(model.logits(rows, pool: pool)) }
                    })
                }
            }
        }
        return result
    }

    /// The model of `network` (seeded weights) as `variant`, and 256 standardized digits rows.
    static func prepare(network: String, variant: Variant) -> (Model, Tensor<Float>) {
        do {
            let split = try DatasetCatalog.standard().load("digits").split(testFraction: 0.25, seed: 0)
            var generator = SeededGenerator(seed: 0)
            let model = try ModelArchitecture.mlp(network).makeModel(generator: &generator)
            let rows = Tensor<Float>(shape: [batch, split.test.featureCount]) { out in
                split.test.features.withUnsafeBufferPointer { source in
                    let features = split.test.featureCount
                    for row in 0..<batch {
                        let from = row % split.test.count
                        for j in 0..<features { out[row * features + j] = source[from * features + j] }
                    }
                }
            }
            let options: QuantizationOptions
            switch variant {
            case .fp32: return (model, rows)
            case .int8: options = QuantizationOptions(bits: 8, granularity: .channel)
            case .int4Weights: options = QuantizationOptions(bits: 4, granularity: .channel, weightsOnly: true)
            }
            let run = try PostTrainingQuantization.run(model, options: options, calibrationData: split.train.features,
                                                       pool: ComputePool(threads: 1))
            return (run.variant, rows)
        } catch {
            FileHandle.standardError.write(Data("slimbench: \(error)\n".utf8))
            exit(1)
        }
    }
}
