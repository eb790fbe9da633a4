import Foundation
import SlimKernels
import SlimLab

/// One training epoch on digits: 1,347 samples (the 75 % training part of the 1,797), softmax
/// cross-entropy, Adam, every forward and backward product on the kernels — beside
/// scikit-learn's `MLPClassifier` doing one epoch of the same network with the same batch
/// (`partial_fit`, Adam, float64, its own ReLU/softmax) under `--anchors`.
///
/// The rate is GFLOP/s of the epoch's GEMM work: per Dense layer 2·n·in·out for the forward,
/// as much for ∂W, and again for ∂X except in the first layer.
struct TrainingBenchmarks: BenchmarkGroup {
    let name = "training"
    let title = "training: one epoch on digits (1,347 samples), Adam"

    /// The networks and batch sizes measured: the 64-64-10 at batch 32, the same at
    /// scikit-learn's default batch 200, a wider MLP, and the CNN preset.
    static let configurations: [(spec: String, label: String, batch: Int, hidden: Int?)] = [
        ("mlp 64-64-10", "64-64-10", 32, 64),
        ("mlp 64-64-10", "64-64-10", 200, 64),
        ("mlp 64-128-10", "64-128-10", 32, 128),
        ("cnn", "cnn", 32, nil),
    ]

    static let trainingCount = 1347

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        var result: [BenchmarkCase] = []
        for configuration in Self.configurations {
            for threads in context.threadCounts {
                let operations = configuration.hidden.map { Self.mlpFlops(samples: Self.trainingCount, sizes: [64, $0, 10]) } ?? 0
                result.append(BenchmarkCase(
                    name: "train_epoch", label: "\(configuration.label) batch \(configuration.batch)",
                    shape: [Self.trainingCount, configuration.hidden ?? 0, configuration.batch], threads: threads,
                    operations: operations, unit: operations > 0 ? "GFLOP/s" : "",
                    anchor: configuration.hidden.map { .mlpEpoch(hidden: $0, batch: configuration.batch) }) {
                    let pool = context.pool(threads)
                    let data = Self.digits()
                    let trainer = EpochRunner(specification: configuration.spec, data: data, batch: configuration.batch)
                    return { trainer.runEpoch(pool: pool) }
                })
            }
        }
        return result
    }

    /// FLOPs of one epoch of an MLP's GEMMs (forward, ∂W, and ∂X but for the first layer).
    static func mlpFlops(samples: Int, sizes: [Int]) -> Double {
        var total = 0.0
        for (index, (a, b)) in zip(sizes, sizes.dropFirst()).enumerated() {
            total += Double(2 * samples * a * b) * (index == 0 ? 2 : 3)
        }
        return total
    }

    /// The first 1,347 digits (which samples does not change the work), standardized.
    static func digits() -> DatasetSplit {
        let all: Dataset
        do {
            all = try DatasetCatalog.standard().load("digits")
        } catch {
            FileHandle.standardError.write(Data("slimbench: \(error)\n".utf8))
            exit(1)
        }
        let n = trainingCount, features = all.featureCount
        var values = Array(all.features.scalars.prefix(n * features))
        for j in 0..<features {
            var mean: Double = 0, square: Double = 0
            for i in 0..<n { mean += Double(values[i * features + j]) }
            mean /= Double(n)
            for i in 0..<n { square += pow(Double(values[i * features + j]) - mean, 2) }
            let scale = square > 0 ? (square / Double(n)).squareRoot() : 1
            for i in 0..<n { values[i * features + j] = Float((Double(values[i * features + j]) - mean) / scale) }
        }
        let train = Dataset(name: "digits", features: Tensor(shape: [n, features], scalars: values),
                            labels: Array(all.labels.prefix(n)), sampleShape: all.sampleShape,
                            featureNames: all.featureNames, classNames: all.classNames)
        let empty = Dataset(name: "digits", features: .zeros([0, features]), labels: [], sampleShape: all.sampleShape,
                            featureNames: all.featureNames, classNames: all.classNames)
        return DatasetSplit(train: train, test: empty, normalization: Normalization(
            method: .none, shift: .init(repeating: 0, count: features), scale: .init(repeating: 1, count: features)))
    }
}

/// A model that keeps training one epoch per call, as a training loop would.
private final class EpochRunner {
    var model: Model
    let data: DatasetSplit
    var options = TrainingOptions()

    init(specification: String, data: DatasetSplit, batch: Int) {
        var generator = SeededGenerator(seed: 0)
        model = try! ModelArchitecture.parse(specification).makeModel(generator: &generator)
        self.data = data
        options.epochs = 1
        options.batchSize = batch
        options.evaluatesEachEpoch = false
    }

    func runEpoch(pool: ComputePool) {
        let report = try! Trainer.train(&model, on: data, options: options, pool: pool)
        blackHole(report)
    }
}
