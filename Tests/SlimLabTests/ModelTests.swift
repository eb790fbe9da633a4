import XCTest
import SlimKernels
@testable import SlimLab

final class ModelTests: XCTestCase {
    let pool = ComputePool(threads: 1)

    func makeModel(_ spec: String, seed: UInt64 = 0) throws -> Model {
        var generator = SeededGenerator(seed: seed)
        return try ModelArchitecture.parse(spec).makeModel(generator: &generator)
    }

    func testMLPFromSpecHasNamedLayersAndParameterCounts() throws {
        let model = try makeModel("mlp 64-64-10")
        XCTAssertEqual(model.layers.map(\.name), ["fc1", "relu1", "fc2"])
        XCTAssertEqual(model.parameterNames, ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        XCTAssertEqual(model.activationNames, ["fc1.out", "relu1.out", "fc2.out"])
        XCTAssertEqual(model.parameterCount, 64 * 64 + 64 + 64 * 10 + 10)
        XCTAssertEqual(model.storedByteCount, 4 * 4810)
        XCTAssertEqual(model.classCount, 10)
        XCTAssertEqual(try model.parameter(named: "fc1.weight").value.shape, [64, 64])
        XCTAssertEqual(model.architecture.specification, "mlp 64-64-10")
        XCTAssertEqual(model.architecture.mlpSizes, [64, 64, 10])
    }

    func testDeepMLPAlternatesReLUAndEndsWithout() throws {
        let model = try makeModel("mlp 4-8-8-3")
        XCTAssertEqual(model.layers.map(\.kind), ["dense", "relu", "dense", "relu", "dense"])
        XCTAssertEqual(model.layerOutputShapes, [[8], [8], [8], [8], [3]])
    }

    func testBadSpecificationsGiveClearErrors() {
        XCTAssertThrowsError(try ModelArchitecture.parse("mlp 64-x-10")) { error in
            XCTAssertEqual("\(error)", "cannot read architecture '64-x-10': 'x' is not a positive integer; write sizes like 64-32-10")
        }
        XCTAssertThrowsError(try ModelArchitecture.parse("mlp 64")) { error in
            XCTAssertTrue("\(error)".contains("at least an input and an output size"), "\(error)")
        }
        XCTAssertThrowsError(try ModelArchitecture.parse("mlp 64-0-10"))
        XCTAssertThrowsError(try ModelArchitecture.parse("rnn 64-10")) { error in
            XCTAssertTrue("\(error)".contains("mlp, cnn"), "\(error)")
        }
        XCTAssertThrowsError(try ModelArchitecture.parse("mlp"))
    }

    func testCNNPresetShapesAndSize() throws {
        let model = try makeModel("cnn")
        XCTAssertEqual(model.inputShape, [1, 8, 8])
        XCTAssertEqual(model.layerOutputShapes, [[16, 8, 8], [16, 8, 8], [16, 4, 4], [32, 4, 4], [32, 4, 4],
                                                 [32, 2, 2], [128], [10]])
        XCTAssertEqual(model.parameterCount, 160 + 4640 + 1290)
        let logits = model.logits(Tensor.zeros([3, 64]), pool: pool)
        XCTAssertEqual(logits.shape, [3, 10])
        var generator = SeededGenerator(seed: 0)
        let mnist = try ModelArchitecture.cnn(inputShape: [1, 28, 28], classes: 10).makeModel(generator: &generator)
        XCTAssertEqual(mnist.layerOutputShapes.last, [10])
        XCTAssertEqual(mnist.layerOutputShapes[6], [32 * 7 * 7])
    }

    func testSameSeedSameModelAndDifferentSeedDifferent() throws {
        let a = try makeModel("mlp 8-6-3", seed: 4), b = try makeModel("mlp 8-6-3", seed: 4)
        let c = try makeModel("mlp 8-6-3", seed: 5)
        XCTAssertEqual(try a.parameter(named: "fc1.weight").value, try b.parameter(named: "fc1.weight").value)
        XCTAssertNotEqual(try a.parameter(named: "fc1.weight").value, try c.parameter(named: "fc1.weight").value)
        // Biases start at zero.
        XCTAssertEqual(try a.parameter(named: "fc2.bias").value.scalars, [0, 0, 0])
    }

    func testHeInitializationHasTheExpectedSpread() throws {
        let model = try makeModel("mlp 256-256-10")
        let w = try model.parameter(named: "fc1.weight").value.scalars.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)
        XCTAssertEqual(variance, 2.0 / 256, accuracy: 0.05 * 2.0 / 256)
        let out = try model.parameter(named: "fc2.weight").value.scalars
        let bound = Float((6.0 / 266).squareRoot())
        XCTAssertTrue(out.allSatisfy { abs($0) <= bound })
        XCTAssertGreaterThan(out.map(abs).max()!, 0.9 * bound)
    }

    func testArchitectureRoundTripsThroughJSON() throws {
        for spec in ["mlp 64-32-10", "cnn"] {
            let architecture = try ModelArchitecture.parse(spec)
            let text = architecture.jsonText()
            XCTAssertEqual(try ModelArchitecture(jsonText: text), architecture)
            XCTAssertEqual(text, try ModelArchitecture(jsonText: text).jsonText())
        }
        XCTAssertEqual(try ModelArchitecture.parse("cnn").specification, "cnn")
        XCTAssertEqual(ModelArchitecture.cnn(inputShape: [1, 28, 28], classes: 10).specification, "cnn 1×28×28")
        var custom = ModelArchitecture.cnn()
        custom.layers[3].attributes["out"] = "8"
        custom.layers[7].attributes["in"] = "32"
        XCTAssertEqual(custom.specification, "1×8×8 conv3×3·16 relu maxpool2 conv3×3·8 relu maxpool2 flatten dense·10")
        XCTAssertThrowsError(try ModelArchitecture(jsonText: "{\"inputShape\": 3}"))
    }

    func testUnknownLayerKindAndBadAttributesAreErrors() {
        var generator = SeededGenerator(seed: 0)
        let unknown = ModelArchitecture(inputShape: [4], layers: [LayerDescription(kind: "lstm", name: "l1")])
        XCTAssertThrowsError(try unknown.makeModel(generator: &generator)) { error in
            XCTAssertEqual("\(error)", "unknown layer kind 'lstm'; known kinds: dense, relu, conv2d, maxpool2d, flatten")
        }
        let bad = ModelArchitecture(inputShape: [4], layers: [
            LayerDescription(kind: "dense", name: "fc1", attributes: ["in": "4", "out": "-2"])])
        XCTAssertThrowsError(try bad.makeModel(generator: &generator)) { error in
            XCTAssertEqual("\(error)", "layer fc1: out=-2 is not allowed; expected an integer ≥ 1")
        }
        let mismatch = ModelArchitecture(inputShape: [5], layers: [
            LayerDescription(kind: "dense", name: "fc1", attributes: ["in": "4", "out": "2"])])
        XCTAssertThrowsError(try mismatch.makeModel(generator: &generator))
    }

    func testModelInitRejectsDuplicateNamesAndNonClassifiers() {
        XCTAssertThrowsError(try Model(inputShape: [3], layers: [ReLU(name: "a"), ReLU(name: "a")])) { error in
            XCTAssertEqual(error as? ModelError, .duplicateLayerName("a"))
        }
        XCTAssertThrowsError(try Model(inputShape: [1, 4, 4], layers: [ReLU(name: "a")])) { error in
            XCTAssertEqual(error as? ModelError, .notAClassifier(outputShape: [1, 4, 4]))
        }
    }

    func testCopiesAreIndependent() throws {
        let original = try makeModel("mlp 4-3-2")
        var copy = original
        try copy.updateParameter(named: "fc1.weight") { $0.value[flat: 0] = 42 }
        XCTAssertEqual(try copy.parameter(named: "fc1.weight").value[flat: 0], 42)
        XCTAssertNotEqual(try original.parameter(named: "fc1.weight").value[flat: 0], 42)
    }

    func testMaskZeroesEntriesAndCountsAsSparsity() throws {
        var model = try makeModel("mlp 4-3-2")
        var mask = Tensor<Float>(shape: [3, 4], repeating: 1)
        for i in [0, 5, 6, 11] { mask[flat: i] = 0 }
        try model.setMask(mask, forParameter: "fc1.weight")
        let w = try model.parameter(named: "fc1.weight").value
        XCTAssertEqual([0, 5, 6, 11].map { w[flat: $0] }, [0, 0, 0, 0])
        XCTAssertEqual(model.nonZeroParameterCount, model.parameterCount - 4 - 3 - 2) // biases start at 0
        XCTAssertThrowsError(try model.setMask(Tensor(shape: [4, 3], repeating: 1), forParameter: "fc1.weight"))
        XCTAssertThrowsError(try model.setMask(nil, forParameter: "fc9.weight")) { error in
            XCTAssertEqual("\(error)", "no tensor named 'fc9.weight'; this model has: fc1.weight, fc1.bias, fc2.weight, fc2.bias")
        }
    }

    func testSummaryRowsAndTotals() throws {
        var model = try makeModel("mlp 64-32-10")
        var mask = Tensor<Float>(shape: [32, 64], repeating: 1)
        for i in 0..<1024 { mask[flat: i] = 0 }
        try model.setMask(mask, forParameter: "fc1.weight")
        let summary = model.summary
        XCTAssertEqual(summary.rows.map(\.layer), ["fc1", "relu1", "fc2"])
        XCTAssertEqual(summary.rows.map(\.outputShape), [[32], [32], [10]])
        XCTAssertEqual(summary.rows.map(\.parameterCount), [2080, 0, 330])
        XCTAssertEqual(summary.rows.map(\.byteCount), [8320, 0, 1320])
        XCTAssertEqual(summary.rows[0].dtypes, [.float32])
        XCTAssertEqual(summary.rows[1].dtypes, [])
        // 1024 masked weights of 2048 (biases, zero at first, do not count).
        XCTAssertEqual(summary.rows[0].sparsity, 0.5)
        XCTAssertEqual(summary.rows[2].sparsity, 0)
        XCTAssertEqual(summary.sparsity, 1024.0 / (2048 + 320), accuracy: 1e-12)
        XCTAssertEqual(summary.parameterCount, 2410)
        XCTAssertEqual(summary.byteCount, 9640)
    }

    /// The whole chain (every layer's backward, composed, and the loss) against finite
    /// differences of the cross-entropy loss.
    func checkModelGradients(_ spec: String, batch: Int, epsilon: Float = 1e-2) throws {
        var model = try makeModel(spec, seed: 11)
        var generator = SeededGenerator(seed: 12)
        // Non-zero biases, so the check also covers their effect through ReLU.
        model.updateParameters { _, parameter in
            if parameter.role == .bias {
                for i in 0..<parameter.count { parameter.value[flat: i] = generator.uniform(-0.1, 0.1) }
            }
        }
        let x = GradientCheck.randomTensor([batch, model.inputFeatureCount], generator: &generator)
        let labels = (0..<batch).map { $0 % model.classCount }
        var trained = model
        let logits = trained.trainingForward(x, pool: pool)
        trained.backward(SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels).logitGradient, pool: pool)
        var checked = 0, skipped = 0
        for name in model.parameterNames {
            let analytic = try trained.parameter(named: name).gradient
            let count = analytic.count
            for i in stride(from: 0, to: count, by: max(1, count / 40)) {
                func loss(_ delta: Float) throws -> Double {
                    var shifted = model
                    try shifted.updateParameter(named: name) { $0.value[flat: i] += delta }
                    return SoftmaxCrossEntropy.evaluate(logits: shifted.logits(x, pool: pool), labels: labels).loss
                }
                let numeric = (try loss(epsilon) - loss(-epsilon)) / (2 * Double(epsilon))
                // A ReLU or a pooling window that switches inside ±ε makes the two one-sided
                // slopes disagree; such entries say nothing about backward and are skipped.
                let right = (try loss(epsilon) - loss(0)) / Double(epsilon)
                let left = (try loss(0) - loss(-epsilon)) / Double(epsilon)
                if abs(right - left) > 1e-2 * max(1, abs(numeric)) {
                    skipped += 1
                    continue
                }
                checked += 1
                XCTAssertEqual(Double(analytic[flat: i]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "\(name)[\(i)]")
            }
        }
        XCTAssertLessThan(skipped * 10, checked, "too many entries sit on a kink")
    }

    func testMLPGradientsThroughTheLoss() throws {
        try checkModelGradients("mlp 6-5-4-3", batch: 5, epsilon: 1e-3)
    }

    func testCNNGradientsThroughTheLoss() throws {
        try checkModelGradients("cnn", batch: 3, epsilon: 1e-3)
    }
}
