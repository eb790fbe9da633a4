import XCTest
import SlimKernels
@testable import SlimLab

/// Small labeled sets made here, so the training tests do not depend on shipped files.
enum TestData {
    /// `classes` Gaussian blobs in `features` dimensions, centers 3 apart on the axes.
    static func blobs(count: Int = 240, features: Int = 4, classes: Int = 3, seed: UInt64 = 1,
                      spread: Double = 0.6) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var values: [Float] = []
        var labels: [Int] = []
        for i in 0..<count {
            let label = i % classes
            for f in 0..<features {
                let center: Double = f == label % features ? 3 : 0
                values.append(Float(center + spread * generator.normal()))
            }
            labels.append(label)
        }
        return Dataset(name: "blobs", features: Tensor(shape: [count, features], scalars: values), labels: labels,
                       sampleShape: [features], featureNames: (0..<features).map { "x\($0)" },
                       classNames: (0..<classes).map { "c\($0)" })
    }

    static func split(_ train: Dataset, _ test: Dataset) -> DatasetSplit {
        DatasetSplit(train: train, test: test, normalization: Normalization(
            method: .none, shift: .init(repeating: 0, count: train.featureCount),
            scale: .init(repeating: 1, count: train.featureCount)))
    }

    static var blobSplit: DatasetSplit { split(blobs(), blobs(count: 90, seed: 2)) }
}

final class TrainingTests: XCTestCase {
    func makeModel(_ spec: String = "mlp 4-8-3", seed: UInt64 = 0) throws -> Model {
        var generator = SeededGenerator(seed: seed)
        return try ModelArchitecture.parse(spec).makeModel(generator: &generator)
    }

    func options(epochs: Int = 5, _ change: (inout TrainingOptions) -> Void = { _ in }) -> TrainingOptions {
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 16
        change(&options)
        return options
    }

    func testTrainingLearnsBlobsWithBothOptimizers() throws {
        for optimizer in TrainingOptions.OptimizerKind.allCases {
            var model = try makeModel()
            let before = try model.accuracy(on: TestData.blobSplit.test, pool: ComputePool(threads: 1))
            let report = try Trainer.train(&model, on: TestData.blobSplit, options: options {
                $0.optimizer = optimizer
                $0.learningRate = optimizer == .sgd ? 0.05 : 0.01
            }, pool: ComputePool(threads: 1))
            XCTAssertEqual(report.epochs.count, 5)
            XCTAssertEqual(report.steps, 5 * 15)
            XCTAssertFalse(report.stopped)
            XCTAssertGreaterThan(report.finalTestAccuracy!, 0.95, "\(optimizer)")
            XCTAssertLessThan(before, 0.8)
            XCTAssertLessThan(report.epochs.last!.loss, report.epochs.first!.loss)
            XCTAssertEqual(model.completedEpochs, 5)
        }
    }

    func testSameSeedIsBitIdenticalForAnyThreadCount() throws {
        var results: [[Float]] = []
        for threads in [1, 2, 3] {
            var model = try makeModel("mlp 4-16-16-3")
            let report = try Trainer.train(&model, on: TestData.blobSplit, options: options(epochs: 3),
                                           pool: ComputePool(threads: threads))
            results.append(try model.parameter(named: "fc2.weight").value.scalars + report.losses.map(Float.init))
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
        var other = try makeModel("mlp 4-16-16-3")
        _ = try Trainer.train(&other, on: TestData.blobSplit, options: options(epochs: 3) { $0.seed = 9 },
                              pool: ComputePool(threads: 1))
        XCTAssertNotEqual(try other.parameter(named: "fc2.weight").value.scalars, Array(results[0].prefix(48)))
    }

    func testMasksKeepPrunedWeightsAtExactlyZero() throws {
        for optimizer in TrainingOptions.OptimizerKind.allCases {
            var model = try makeModel("mlp 4-8-3")
            var mask = Tensor<Float>(shape: [8, 4], repeating: 1)
            for i in stride(from: 0, to: 32, by: 3) { mask[flat: i] = 0 }
            try model.setMask(mask, forParameter: "fc1.weight")
            _ = try Trainer.train(&model, on: TestData.blobSplit, options: options(epochs: 3) {
                $0.optimizer = optimizer
                $0.weightDecay = 0.01
            }, pool: ComputePool(threads: 1))
            let w = try model.parameter(named: "fc1.weight").value
            for i in stride(from: 0, to: 32, by: 3) { XCTAssertEqual(w[flat: i], 0, "\(optimizer) [\(i)]") }
            XCTAssertEqual((0..<32).filter { w[flat: $0] != 0 }.count, 32 - 11)
        }
    }

    func testStopRequestEndsAtABatchBoundaryKeepingTheLastStep() throws {
        var model = try makeModel()
        let stop = StopSignal()
        var batchesSeen = 0
        var lastWeights: [Float] = []
        let report = try Trainer.train(&model, on: TestData.blobSplit, options: options(epochs: 4),
                                       pool: ComputePool(threads: 1), stop: stop) { event in
            if case .batchFinished(let progress) = event {
                batchesSeen += 1
                XCTAssertEqual(progress.batches, 15)
                if progress.epoch == 2 && progress.batch == 3 { stop.request() }
            }
        }
        lastWeights = try model.parameter(named: "fc1.weight").value.scalars
        XCTAssertTrue(report.stopped)
        XCTAssertEqual(batchesSeen, 15 + 3)
        XCTAssertEqual(report.steps, 18)
        XCTAssertEqual(report.epochs.count, 2)
        XCTAssertEqual(report.epochs[1].batchesDone, 3)
        XCTAssertFalse(report.epochs[1].isComplete)
        XCTAssertEqual(model.completedEpochs, 1)
        // Replaying 18 steps without a stop gives the same weights: nothing after the last
        // completed step was applied.
        var replay = try makeModel()
        var count = 0
        let stop2 = StopSignal()
        _ = try Trainer.train(&replay, on: TestData.blobSplit, options: options(epochs: 4),
                              pool: ComputePool(threads: 1), stop: stop2) { event in
            if case .batchFinished = event { count += 1; if count == 18 { stop2.request() } }
        }
        XCTAssertEqual(try replay.parameter(named: "fc1.weight").value.scalars, lastWeights)
    }

    func testProgressReportsFractionsAndEpochRecords() throws {
        var model = try makeModel()
        var fractions: [Double] = []
        var records: [EpochRecord] = []
        _ = try Trainer.train(&model, on: TestData.blobSplit, options: options(epochs: 2),
                              pool: ComputePool(threads: 1)) { event in
            switch event {
            case .batchFinished(let progress): fractions.append(progress.fractionDone)
            case .epochFinished(let record): records.append(record)
            }
        }
        XCTAssertEqual(fractions.count, 30)
        XCTAssertEqual(fractions.last!, 1, accuracy: 1e-12)
        XCTAssertEqual(fractions[14], 0.5, accuracy: 1e-12)
        XCTAssertEqual(records.map(\.epoch), [1, 2])
        XCTAssertEqual(records.map(\.modelEpoch), [1, 2])
        XCTAssertNotNil(records[0].testAccuracy)
    }

    func testSGDStepByHand() throws {
        var model = try Model(inputShape: [2], layers: [
            Dense(name: "fc1", weight: Tensor(shape: [1, 2], scalars: [1, -2]), bias: Tensor(shape: [1], scalars: [0.5]))])
        var optimizer = Optimizer(options: options { $0.optimizer = .sgd; $0.momentum = 0.5; $0.weightDecay = 0.1 })
        try model.updateParameter(named: "fc1.weight") { $0.gradient = Tensor(shape: [1, 2], scalars: [0.5, 0]) }
        try model.updateParameter(named: "fc1.bias") { $0.gradient = Tensor(shape: [1], scalars: [1]) }
        optimizer.step(&model, learningRate: 0.1)
        // w: g' = 0.5 + 0.1·1 = 0.6, v = 0.6, w = 1 − 0.06; second entry g' = −0.2, w = −2 + 0.02.
        XCTAssertEqual(try model.parameter(named: "fc1.weight").value.scalars, [0.94, -1.98])
        XCTAssertEqual(try model.parameter(named: "fc1.bias").value.scalars, [0.4]) // no decay on biases
        optimizer.step(&model, learningRate: 0.1)
        // v = 0.5·0.6 + (0.5 + 0.094) = 0.894, w = 0.94 − 0.0894.
        XCTAssertEqual(try model.parameter(named: "fc1.weight").value[flat: 0], 0.8506, accuracy: 1e-6)
        let example = try XCTUnwrap(optimizer.lastUpdate)
        XCTAssertEqual(example.parameter, "fc1.weight")
        XCTAssertEqual(example.step, 2)
        XCTAssertEqual(example.weightBefore, 0.94)
        XCTAssertEqual(example.firstMoment, 0.894, accuracy: 1e-6)
        XCTAssertEqual(example.weightAfter, 0.8506, accuracy: 1e-6)
    }

    func testAdamFirstStepMovesEachWeightByTheLearningRate() throws {
        var model = try Model(inputShape: [3], layers: [
            Dense(name: "fc1", weight: Tensor(shape: [1, 3], scalars: [1, 1, 1]), bias: Tensor(shape: [1], scalars: [0]))])
        var optimizer = Optimizer(options: options { $0.optimizer = .adam; $0.weightDecay = 0 })
        try model.updateParameter(named: "fc1.weight") { $0.gradient = Tensor(shape: [1, 3], scalars: [0.5, -3, 1e-3]) }
        optimizer.step(&model, learningRate: 0.01)
        // m̂ = g, v̂ = g², so the step is η·g / (|g| + ε) ≈ η·sign(g).
        let w = try model.parameter(named: "fc1.weight").value.scalars
        XCTAssertEqual(w[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(w[1], 1.01, accuracy: 1e-6)
        XCTAssertEqual(w[2], 0.99, accuracy: 1e-5)
        // The example follows the entry with the largest first gradient: index 1 (g = −3).
        XCTAssertEqual(optimizer.lastUpdate?.index, 1)
        XCTAssertEqual(optimizer.lastUpdate?.secondMoment ?? 0, 0.009, accuracy: 1e-6)
    }

    func testLearningRateSchedules() {
        let constant = LearningRateSchedule.constant.rate(base: 0.1, step: 50, totalSteps: 100, epoch: 5, totalEpochs: 10)
        XCTAssertEqual(constant, 0.1)
        let cosine = LearningRateSchedule.cosine
        XCTAssertEqual(cosine.rate(base: 0.1, step: 0, totalSteps: 100, epoch: 0, totalEpochs: 10), 0.1)
        XCTAssertEqual(cosine.rate(base: 0.1, step: 50, totalSteps: 100, epoch: 5, totalEpochs: 10), 0.05, accuracy: 1e-7)
        XCTAssertEqual(cosine.rate(base: 0.1, step: 75, totalSteps: 100, epoch: 7, totalEpochs: 10),
                       Float(0.1 * 0.5 * (1 + cos(Double.pi * 0.75))), accuracy: 1e-7)
        let step = LearningRateSchedule.step
        // 30 epochs: ×0.1 every 10.
        XCTAssertEqual(step.rate(base: 1, step: 0, totalSteps: 0, epoch: 9, totalEpochs: 30), 1)
        XCTAssertEqual(step.rate(base: 1, step: 0, totalSteps: 0, epoch: 10, totalEpochs: 30), 0.1, accuracy: 1e-7)
        XCTAssertEqual(step.rate(base: 1, step: 0, totalSteps: 0, epoch: 29, totalEpochs: 30), 0.01, accuracy: 1e-8)
        XCTAssertEqual(step.rate(base: 1, step: 0, totalSteps: 0, epoch: 4, totalEpochs: 30, stepEpochs: 2, stepFactor: 0.5),
                       0.25)
    }

    func testBadOptionsAndMismatchedDataAreClearErrors() throws {
        var model = try makeModel()
        XCTAssertThrowsError(try Trainer.train(&model, on: TestData.blobSplit, options: options { $0.learningRate = -1 },
                                               pool: ComputePool(threads: 1))) { error in
            XCTAssertEqual("\(error)", "lr=-1.0 is not allowed; expected a number in (0, 10]")
        }
        XCTAssertThrowsError(try Trainer.train(&model, on: TestData.blobSplit, options: options { $0.momentum = 1 },
                                               pool: ComputePool(threads: 1)))
        XCTAssertThrowsError(try Trainer.train(&model, on: TestData.blobSplit, options: options(epochs: 0),
                                               pool: ComputePool(threads: 1)))
        var wide = try makeModel("mlp 5-8-3")
        XCTAssertThrowsError(try Trainer.train(&wide, on: TestData.blobSplit, pool: ComputePool(threads: 1))) { error in
            XCTAssertEqual("\(error)", "the model takes 5 features per sample (mlp 5-8-3), but the data 'blobs' has 4")
        }
        var fourClasses = try makeModel("mlp 4-8-4")
        XCTAssertThrowsError(try Trainer.train(&fourClasses, on: TestData.blobSplit, pool: ComputePool(threads: 1))) { error in
            XCTAssertEqual("\(error)", "the model has 4 outputs, but the data 'blobs' has 3 classes")
        }
        XCTAssertEqual(model.completedEpochs, 0)
    }

    func testCNNTrainsOnImages() throws {
        // Two classes of 1×8×8 images: a bright vertical bar or a bright horizontal bar, with noise.
        var generator = SeededGenerator(seed: 3)
        func images(_ count: Int) -> Dataset {
            var values: [Float] = [], labels: [Int] = []
            for i in 0..<count {
                let label = i % 2, position = generator.nextInt(below: 8)
                for y in 0..<8 { for x in 0..<8 {
                    let on = label == 0 ? x == position : y == position
                    values.append((on ? 1 : 0) + Float(0.3 * generator.normal()))
                } }
                labels.append(label)
            }
            return Dataset(name: "bars", features: Tensor(shape: [count, 64], scalars: values), labels: labels,
                           sampleShape: [1, 8, 8], featureNames: (0..<64).map { "p\($0)" }, classNames: ["v", "h"])
        }
        var model = try ModelArchitecture.cnn(inputShape: [1, 8, 8], classes: 2).makeModel(generator: &generator)
        let report = try Trainer.train(&model, on: TestData.split(images(256), images(64)), options: options(epochs: 6) { $0.learningRate = 0.01 },
                                       pool: ComputePool(threads: 2))
        XCTAssertGreaterThan(report.finalTestAccuracy!, 0.95)
    }
}
