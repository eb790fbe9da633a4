import XCTest
import SlimKernels
@testable import SlimLab

final class LayerTests: XCTestCase {
    let pool = ComputePool(threads: 1)

    // MARK: Forward values

    func testDenseForwardIsXTimesWTransposedPlusBias() {
        let layer = Dense(name: "fc1", weight: Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]),
                          bias: Tensor(shape: [3], scalars: [1, 0, -1]))
        let y = layer.forward(Tensor(shape: [2, 2], scalars: [1, 1, 2, -1]), pool: pool)
        XCTAssertEqual(y.shape, [2, 3])
        XCTAssertEqual(y.scalars, [4, 7, 10, 1, 2, 3])
    }

    func testReLUZeroesNegatives() {
        let y = ReLU(name: "relu1").forward(Tensor(shape: [1, 4], scalars: [-2, 0, 0.5, 3]), pool: pool)
        XCTAssertEqual(y.scalars, [0, 0, 0.5, 3])
    }

    func testConv2DWithOnesKernelSumsNeighbourhoods() {
        let layer = Conv2D(name: "conv1", weight: Tensor(shape: [1, 1, 3, 3], repeating: 1),
                           bias: Tensor(shape: [1], scalars: [0.5]), padding: 1)
        let x = Tensor<Float>(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init))
        let y = layer.forward(x, pool: pool)
        XCTAssertEqual(y.shape, [1, 1, 3, 3])
        XCTAssertEqual(y.scalars, [12, 21, 16, 27, 45, 33, 24, 39, 28].map { $0 + 0.5 })
    }

    func testConv2DStrideAndChannelsGiveNCHWOutput() throws {
        var generator = SeededGenerator(seed: 1)
        let layer = Conv2D(name: "conv1", inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2,
                           padding: 1, generator: &generator)
        XCTAssertEqual(try layer.outputShape(for: [2, 7, 6]), [3, 4, 3])
        let x = GradientCheck.randomTensor([2, 2, 7, 6], generator: &generator)
        let y = layer.forward(x, pool: pool)
        XCTAssertEqual(y.shape, [2, 3, 4, 3])
        // One output entry by the definition: sample 1, channel 2, position (1, 2).
        var expected = layer.bias[flat: 2]
        for c in 0..<2 { for ky in 0..<3 { for kx in 0..<3 {
            let (iy, ix) = (1 * 2 - 1 + ky, 2 * 2 - 1 + kx)
            if iy >= 0 && iy < 7 && ix >= 0 && ix < 6 {
                expected += layer.weight[2, c, ky, kx] * x[1, c, iy, ix]
            }
        } } }
        XCTAssertEqual(y[1, 2, 1, 2], expected, accuracy: 1e-5)
    }

    func testMaxPoolTakesWindowMaximaAndDropsOddEdge() {
        let x = Tensor<Float>(shape: [1, 1, 3, 4], scalars: [1, 5, 2, 0,
                                                              3, 4, 8, 1,
                                                              9, 9, 9, 9])
        let y = MaxPool2D(name: "pool1").forward(x, pool: pool)
        XCTAssertEqual(y.shape, [1, 1, 1, 2])
        XCTAssertEqual(y.scalars, [5, 8])
    }

    func testMaxPoolBackwardRoutesGradientToWinners() {
        var layer = MaxPool2D(name: "pool1")
        let x = Tensor<Float>(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 1])
        _ = layer.trainingForward(x, pool: pool)
        let dx = layer.backward(Tensor(shape: [1, 1, 1, 2], scalars: [10, 20]), needsInputGradient: true, pool: pool)!
        XCTAssertEqual(dx.scalars, [0, 10, 0, 0, 0, 0, 20, 0])
    }

    func testFlattenKeepsBatchAndJoinsTheRest() throws {
        let layer = Flatten(name: "flatten")
        XCTAssertEqual(try layer.outputShape(for: [4, 2, 2]), [16])
        XCTAssertEqual(layer.forward(Tensor.zeros([3, 4, 2, 2]), pool: pool).shape, [3, 16])
    }

    func testShapeErrorsNameTheLayer() {
        var generator = SeededGenerator(seed: 0)
        let dense = Dense(name: "fc2", inputFeatures: 32, outputFeatures: 10, generator: &generator)
        XCTAssertThrowsError(try dense.outputShape(for: [64])) { error in
            XCTAssertEqual("\(error)", "layer fc2 expects [32] (flatten first) per sample, got [64]")
        }
        XCTAssertThrowsError(try MaxPool2D(name: "pool1").outputShape(for: [8, 1, 1]))
    }

    // MARK: Gradient checks (finite differences)

    func testDenseGradients() {
        var generator = SeededGenerator(seed: 3)
        let layer = Dense(name: "fc1", inputFeatures: 7, outputFeatures: 5, generator: &generator)
        let x = GradientCheck.randomTensor([4, 7], generator: &generator)
        let failures = GradientCheck.check(layer, input: x)
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).map(\.description).joined(separator: "\n"))
    }

    func testReLUGradients() {
        var generator = SeededGenerator(seed: 4)
        // Inputs kept ≥ 0.05 away from the kink, so ±ε never crosses it.
        let x = GradientCheck.randomTensor([3, 11], generator: &generator, avoidingZeroBy: 0.05)
        let failures = GradientCheck.check(ReLU(name: "relu1"), input: x)
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).map(\.description).joined(separator: "\n"))
    }

    func testConv2DGradients() {
        var generator = SeededGenerator(seed: 5)
        let layer = Conv2D(name: "conv1", inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2,
                           padding: 1, generator: &generator)
        var x = GradientCheck.randomTensor([2, 2, 5, 6], generator: &generator)
        x[flat: 0] = 0.25
        let failures = GradientCheck.check(layer, input: x)
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).map(\.description).joined(separator: "\n"))
    }

    func testConv2DGradientsWithoutPadding() {
        var generator = SeededGenerator(seed: 6)
        let layer = Conv2D(name: "conv1", inputChannels: 1, outputChannels: 2, kernelSize: 2,
                           generator: &generator)
        let x = GradientCheck.randomTensor([3, 1, 4, 3], generator: &generator)
        let failures = GradientCheck.check(layer, input: x)
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).map(\.description).joined(separator: "\n"))
    }

    func testMaxPoolGradients() {
        // Distinct values at least 0.1 apart, so ±ε never changes a window's winner.
        var generator = SeededGenerator(seed: 8)
        let order = generator.permutation(2 * 2 * 4 * 5)
        let x = Tensor<Float>(shape: [2, 2, 4, 5], scalars: order.map { Float($0) * 0.1 })
        let failures = GradientCheck.check(MaxPool2D(name: "pool1"), input: x)
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).map(\.description).joined(separator: "\n"))
    }

    func testFlattenGradients() {
        var generator = SeededGenerator(seed: 9)
        let x = GradientCheck.randomTensor([2, 3, 2, 2], generator: &generator)
        let failures = GradientCheck.check(Flatten(name: "flatten"), input: x)
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).map(\.description).joined(separator: "\n"))
    }

    func testSoftmaxCrossEntropyGradient() {
        var generator = SeededGenerator(seed: 10)
        let logits = GradientCheck.randomTensor([4, 5], generator: &generator)
        let labels = [0, 3, 4, 1]
        let result = SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels)
        let epsilon: Float = 1e-2
        for i in 0..<logits.count {
            var up = logits, down = logits
            up[flat: i] += epsilon
            down[flat: i] -= epsilon
            let numeric = (SoftmaxCrossEntropy.evaluate(logits: up, labels: labels).loss
                - SoftmaxCrossEntropy.evaluate(logits: down, labels: labels).loss) / (2 * Double(epsilon))
            XCTAssertEqual(Double(result.logitGradient[flat: i]), numeric, accuracy: 1e-4, "logit \(i)")
        }
    }

    func testSoftmaxCrossEntropyValuesAndStability() {
        // Equal logits: p = 1/C, loss = log C.
        let even = SoftmaxCrossEntropy.evaluate(logits: Tensor(shape: [1, 4], repeating: 3), labels: [2])
        XCTAssertEqual(even.loss, log(4.0), accuracy: 1e-6)
        XCTAssertEqual(even.logitGradient.scalars, [0.25, 0.25, -0.75, 0.25])
        // Huge logits stay finite.
        let huge = SoftmaxCrossEntropy.evaluate(logits: Tensor(shape: [1, 3], scalars: [1e4, -1e4, 0]), labels: [1])
        XCTAssertEqual(huge.loss, 2e4, accuracy: 1)
        XCTAssertEqual(huge.correctCount, 0)
        let p = SoftmaxCrossEntropy.probabilities(Tensor(shape: [1, 3], scalars: [1e4, -1e4, 0]))
        XCTAssertEqual(p.scalars, [1, 0, 0])
    }
}
