import XCTest
import SlimKernels
@testable import SlimLab

/// Quantization-aware training: the straight-through estimator's gradient by hand, the
/// moving-average ranges, and prepare → fine-tune → convert on a small problem.
final class QATTests: XCTestCase {
    private let pool = ComputePool(threads: 1)

    func testWeightSTEPassesTheGradientInsideTheGridOnly() throws {
        // Symmetric 2-bit per tensor over max|w| = 1: s = 1, grid {-1, 0, 1}; every weight is
        // inside [-1, 1], so the gradient passes unchanged even though round() is flat.
        let transform = WeightFakeQuantization(spec: QuantizationSpec(bits: 2))
        let w = Tensor<Float>(shape: [1, 4], scalars: [-1, -0.4, 0.6, 1])
        XCTAssertEqual(transform.transformed(w).scalars, [-1, 0, 1, 1])
        let g = Tensor<Float>(shape: [1, 4], scalars: [0.1, 0.2, 0.3, 0.4])
        XCTAssertEqual(transform.gradient(g, weight: w).scalars, [0.1, 0.2, 0.3, 0.4])

        // A grid narrower than the values: the STE zeroes the gradient outside it.
        let grid = QuantizationParameters(scale: 0.25, zeroPoint: 0, range: try IntegerRange(bits: 3, scheme: .symmetric))
        // Representable: [-0.75, 0.75].
        let x = Tensor<Float>(shape: [5], scalars: [-2, -0.75, 0, 0.7, 0.8])
        let dy = Tensor<Float>(shape: [5], scalars: [1, 2, 3, 4, 5])
        XCTAssertEqual(straightThrough(dy, input: x, grids: [grid]).scalars, [0, 2, 3, 4, 0])
    }

    func testPerChannelSTEUsesEachChannelsRange() {
        let transform = WeightFakeQuantization(spec: QuantizationSpec(bits: 8, granularity: .channel))
        let w = Tensor<Float>(shape: [2, 2], scalars: [1, -0.5, 0.005, 0.02])
        let q = transform.transformed(w)
        XCTAssertEqual(q[1, 1], 0.02, accuracy: 1e-9)                      // channel 1 keeps its resolution
        XCTAssertEqual(q[1, 0], Float(32) * (0.02 / 127), accuracy: 1e-9)  // round(31.75) = 32
    }

    func testFakeQuantizeLayerTracksAMovingAverageAndMasksTheGradient() {
        var layer = FakeQuantize(name: "fq", bits: 8, constant: 0.5)
        let first = Tensor<Float>(shape: [1, 3], scalars: [0, 1, 2])
        _ = layer.trainingForward(first, pool: pool)
        XCTAssertEqual(layer.range?.min, 0)
        XCTAssertEqual(layer.range?.max, 2)
        let second = Tensor<Float>(shape: [1, 3], scalars: [0, 3, 6])
        let y = layer.trainingForward(second, pool: pool)
        // max = 2 + 0.5·(6 - 2) = 4: 6 is clipped to 4 in the forward pass …
        XCTAssertEqual(layer.range?.max, 4)
        XCTAssertEqual(y[0, 2], 4)
        // … and gets no gradient in the backward pass.
        let dx = layer.backward(Tensor(shape: [1, 3], scalars: [1, 1, 1]), needsInputGradient: true, pool: pool)!
        XCTAssertEqual(dx.scalars, [1, 1, 0])
        // Inference does not move the range.
        _ = layer.forward(Tensor(shape: [1, 1], scalars: [100]), pool: pool)
        XCTAssertEqual(layer.range?.max, 4)
        XCTAssertEqual(layer.description.attributes["bits"], "8")
    }

    func testPrepareInsertsFakeQuantizationAtTheEnginesPoints() throws {
        var generator = SeededGenerator(seed: 2)
        let model = try ModelArchitecture.mlp("4-8-8-3").makeModel(generator: &generator)
        let data = TestData.blobs(count: 64)
        let prepared = try QuantizationAwareTraining.prepare(model, options: QATOptions(), calibration: data.features, pool: pool)
        XCTAssertEqual(prepared.layers.map(\.name), ["fq_input", "fc1", "relu1", "fq_relu1", "fc2", "relu2", "fq_relu2", "fc3"])
        XCTAssertNotNil((prepared.layers[1] as? Dense)?.weightTransform)
        XCTAssertEqual((prepared.layers[3] as? FakeQuantize)?.range?.min, 0)
    }

    func testQATRecoversAndConvertsToTheEngine() throws {
        var generator = SeededGenerator(seed: 4)
        var model = try ModelArchitecture.mlp("4-16-3").makeModel(generator: &generator)
        let split = TestData.blobSplit
        var training = TrainingOptions()
        training.epochs = 20
        _ = try Trainer.train(&model, on: split, options: training, pool: pool)
        let fp32 = try model.accuracy(on: split.test, pool: pool)

        var options = QATOptions(bits: 3)
        options.training.epochs = 3
        let run = try QuantizationAwareTraining.run(model, data: split, options: options, pool: pool)
        XCTAssertEqual(run.training.epochs.count, 3)
        XCTAssertNotNil(run.variant.inferenceEngine)
        XCTAssertEqual(run.activations.map(\.name), ["input", "relu1.out"])
        XCTAssertEqual(run.weightReports.map(\.spec.bits), [3, 3])
        // The integer variant agrees with the fake-quantized model it was converted from.
        let fakeQuantAccuracy = try XCTUnwrap(run.training.finalTestAccuracy)
        XCTAssertEqual(try XCTUnwrap(run.finalAccuracy), fakeQuantAccuracy, accuracy: 0.02)
        XCTAssertGreaterThan(try XCTUnwrap(run.finalAccuracy), fp32 - 0.05)
        // The source is untouched.
        XCTAssertEqual(try model.accuracy(on: split.test, pool: pool), fp32)
    }
}
