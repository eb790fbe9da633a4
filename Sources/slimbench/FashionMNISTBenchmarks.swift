import Foundation
import SlimKernels
import SlimLab

/// LeNet-300-100 (784-300-100-10) on Fashion-MNIST at the scale of the compression papers: one
/// training epoch over the 60,000 training images (batch 64, Adam) and one evaluation of the
/// 10,000 test images. Skipped, with a note, when `dataset-fashion-mnist` is not installed.
/// The anchors are PyTorch on the CPU doing the same work with the same thread count (see
/// `lenet300_epoch` in scripts/anchor_server.py).
///
/// The rate is GFLOP/s of the GEMM work: per Dense layer 2·n·in·out for the forward, as much
/// for ∂W, and again for ∂X except in the first layer (evaluation: the forward only).
struct FashionMNISTBenchmarks: BenchmarkGroup {
    let name = "fashion"
    let title = "Fashion-MNIST: LeNet-300-100, one epoch of 60,000 (batch 64, Adam) and 10,000 evaluated"

    static let sizes = [784, 300, 100, 10]

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        guard Self.isInstalled else { return [] }
        var result: [BenchmarkCase] = []
        let train = 60_000, test = 10_000
        for threads in context.threadCounts {
            result.append(BenchmarkCase(
                name: "train_epoch", label: "lenet300 epoch 60k b64", shape: [train, 300, 64], threads: threads,
                operations: TrainingBenchmarks.mlpFlops(samples: train, sizes: Self.sizes),
                anchor: .lenet300Epoch(batch: 64, root: Self.folder)) {
                let pool = context.pool(threads)
                let split = Self.data
                var model = Self.lenet300()
                var options = TrainingOptions()
                options.epochs = 1
                options.batchSize = 64
                options.evaluatesEachEpoch = false
                return {
                    let report = try! Trainer.train(&model, on: split, options: options, pool: pool)
                    blackHole(report)
                }
            })
            let forward = zip(Self.sizes, Self.sizes.dropFirst()).reduce(0.0) { $0 + Double(2 * test * $1.0 * $1.1) }
            result.append(BenchmarkCase(
                name: "evaluate", label: "lenet300 eval 10k", shape: [test, 300, 784], threads: threads,
                operations: forward, anchor: .lenet300Evaluation(root: Self.folder)) {
                let pool = context.pool(threads)
                let split = Self.data
                let model = Self.lenet300()
                return { blackHole(try! model.accuracy(on: split.test, pool: pool)) }
            })
        }
        return result
    }

    static func lenet300() -> Model {
        var generator = SeededGenerator(seed: 0)
        return try! ModelArchitecture.lenet300().makeModel(generator: &generator)
    }

    /// Where `dataset-fashion-mnist` puts its files.
    static var folder: String { DatasetCatalog.systemInstalledRoot + "/" + InstalledDataset.fashionMNIST.folderName }

    /// Whether `dataset-fashion-mnist` is installed (else the group has no cases).
    static var isInstalled: Bool {
        FileManager.default.fileExists(atPath: folder + "/" + InstalledDataset.fashionMNIST.testLabels)
    }

    /// The set, standardized, loaded once when a case first needs it.
    static let data: DatasetSplit = {
        do {
            return try DatasetCatalog.standard().loadSplit("fashion-mnist")
        } catch {
            FileHandle.standardError.write(Data("slimbench: \(error)\n".utf8))
            exit(1)
        }
    }()
}
