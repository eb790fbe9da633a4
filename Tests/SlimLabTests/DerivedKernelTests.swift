import XCTest
import SlimKernels
@testable import SlimLab
import SlimTestSupport

/// Inference kernels (CSR, int8 engine, weight-only codes, block formats) are derived from a
/// variant's weights: after training or fine-tuning, the session evaluates a variant exactly as
/// a fresh model built from its weights and quantized (or stored sparse) the same way.
final class DerivedKernelTests: XCTestCase {
    /// The weights and masks of `model` in new layers that carry no kernel and no engine.
    private func freshFloatCopy(_ model: Model) throws -> Model {
        let layers: [any Layer] = model.layers.map { layer in
            guard let dense = layer as? Dense else { return layer }
            var fresh = Dense(name: dense.name, weight: dense.weight, bias: dense.bias)
            fresh.parameters[0].mask = dense.parameters[0].mask
            return fresh
        }
        let copy = try Model(inputShape: model.inputShape, layers: layers)
        XCTAssertNil(copy.inferenceEngine)
        return copy
    }

    private func finetuned(_ workspace: Workspace, _ name: String, epochs: Int = 3) throws -> Model {
        let report = try XCTUnwrap(workspace.finetune(name, options: FinetuneOptions(epochs: epochs, learningRate: 0.05)).trainingReport)
        XCTAssertFalse(report.stopped)
        return try workspace.variants.variant(named: name).model
    }

    /// The repro: quantize to static int8 per channel, fine-tune the q8 variant, and
    /// its evaluation equals a fresh quantization of its fine-tuned weights.
    func testFinetunedStaticInt8EvaluatesLikeAFreshQuantizationOfItsWeights() throws {
        let workspace = try TrainedDigits.workspace("mlp 64-64-10", epochs: 10)
        try workspace.quantize(options: QuantizationOptions(bits: 8, granularity: .channel), name: "q8")
        let before = try workspace.variants.variant(named: "q8").model
        let storage = try XCTUnwrap(QuantizedStorage.capture(before))
        let model = try finetuned(workspace, "q8", epochs: 5)
        XCTAssertNotEqual(try model.parameter(named: "fc1.weight").value, try before.parameter(named: "fc1.weight").value)

        let engine = try XCTUnwrap(model.inferenceEngine as? Int8Network)
        let fresh = try storage.apply(to: try freshFloatCopy(model))
        let freshEngine = try XCTUnwrap(fresh.inferenceEngine as? Int8Network)
        for (stage, freshStage) in zip(engine.stages, freshEngine.stages) {
            XCTAssertEqual(stage.weight.dequantized(), freshStage.weight.dequantized(), stage.name)
            XCTAssertEqual(stage.integerBias, freshStage.integerBias, stage.name)
        }
        // The per-layer kernel (tracing, sizes) follows the same weights.
        let kernel = try XCTUnwrap((model.layers[0] as? Dense)?.inferenceKernel as? Int8DenseKernel)
        XCTAssertEqual(kernel.stage.weight.dequantized(), freshEngine.stages[0].weight.dequantized())
        let test = try TrainedDigits.split().test
        let session = try XCTUnwrap(try workspace.testAccuracy(of: "q8"))
        XCTAssertEqual(session, try fresh.accuracy(on: test, pool: workspace.pool))
        XCTAssertEqual(model.logits(test.features, pool: workspace.pool), fresh.logits(test.features, pool: workspace.pool))
        XCTAssertEqual(model.storedByteCount, before.storedByteCount)
    }

    func testFinetunedWeightOnlyAndBlockVariantsFollowTheirWeights() throws {
        let workspace = try TrainedDigits.workspace("mlp 64-64-10", epochs: 10)
        let kinds: [(String, QuantizationOptions)] = [
            ("w4", QuantizationOptions(bits: 4, granularity: .channel, weightsOnly: true)),
            ("q40", QuantizationOptions(format: .q4_0)),
        ]
        let test = try TrainedDigits.split().test
        for (name, options) in kinds {
            try workspace.quantize(options: options, name: name)
            let storage = try XCTUnwrap(QuantizedStorage.capture(try workspace.variants.variant(named: name).model))
            let model = try finetuned(workspace, name)
            let fresh = try storage.apply(to: try freshFloatCopy(model))
            XCTAssertEqual(model.logits(test.features, pool: workspace.pool), fresh.logits(test.features, pool: workspace.pool),
                           name)
            XCTAssertEqual(try workspace.testAccuracy(of: name), try fresh.accuracy(on: test, pool: workspace.pool), name)
        }
    }

    func testFinetunedPrunedVariantRunsCSROfItsTrainedWeights() throws {
        let workspace = try TrainedDigits.workspace()
        var options = MagnitudePruningOptions(sparsity: 0.9)
        options.scope = .global
        try workspace.pruneMagnitude(options: options, name: "p90")
        let model = try finetuned(workspace, "p90")
        let dense = try XCTUnwrap(model.layers[0] as? Dense)
        let kernel = try XCTUnwrap(dense.inferenceKernel as? CSRDenseKernel)
        XCTAssertEqual(kernel.matrix, CSRMatrix(dense: dense.weight, mask: try XCTUnwrap(dense.parameters[0].mask)))
        let test = try TrainedDigits.split().test
        let fresh = try SparseStorage.apply(to: try freshFloatCopy(model), crossover: workspace.sparseCrossover,
                                            batch: Comparison.batchSize, pool: workspace.pool).model
        XCTAssertEqual(try workspace.testAccuracy(of: "p90"), try fresh.accuracy(on: test, pool: workspace.pool))
        XCTAssertEqual(model.storedByteCount, fresh.storedByteCount)
    }

    func testTrainingWithoutMasksDropsCSRWhenItIsNoLongerSmaller() throws {
        let workspace = try TrainedDigits.workspace()
        try workspace.pruneMagnitude(options: MagnitudePruningOptions(sparsity: 0.9), name: "p90")
        var pruned = try workspace.variants.variant(named: "p90").model
        XCTAssertNotNil((pruned.layers[0] as? Dense)?.inferenceKernel)
        // Take the masks off and let training revive every weight: CSR would now be larger.
        for name in pruned.pruningMasks.keys { try pruned.setMask(nil, forParameter: name) }
        var options = workspace.trainingDefaults
        options.epochs = 1
        _ = try Trainer.train(&pruned, on: try TrainedDigits.split(), options: options, pool: workspace.pool)
        XCTAssertNil((pruned.layers[0] as? Dense)?.inferenceKernel)
        XCTAssertEqual(pruned.storedTensors.first { $0.name == "fc1.weight" }?.dtype, .float32)
    }

    func testQATAndDistilledStudentsStayTrue() throws {
        let workspace = try TrainedDigits.workspace("mlp 64-64-10", epochs: 10)
        var qat = QATOptions(bits: 4, granularity: .tensor)
        qat.training.epochs = 1
        try workspace.quantizationAwareTraining(options: qat, name: "qat4")
        let storage = try XCTUnwrap(QuantizedStorage.capture(try workspace.variants.variant(named: "qat4").model))
        let model = try finetuned(workspace, "qat4", epochs: 1)
        let test = try TrainedDigits.split().test
        let fresh = try storage.apply(to: try freshFloatCopy(model))
        XCTAssertEqual(model.logits(test.features, pool: workspace.pool), fresh.logits(test.features, pool: workspace.pool))

        var distillation = DistillationOptions()
        distillation.training.epochs = 1
        distillation.comparesWithScratch = false
        _ = try workspace.distill(teacher: "baseline", student: .variant("qat4"), options: distillation, name: "kd4")
        let student = try workspace.variants.variant(named: "kd4").model
        XCTAssertNotNil(student.inferenceEngine, "a quantized student stays quantized")
        let freshStudent = try storage.apply(to: try freshFloatCopy(student))
        XCTAssertEqual(student.logits(test.features, pool: workspace.pool),
                       freshStudent.logits(test.features, pool: workspace.pool))
        XCTAssertEqual(workspace.variants.currentName, "baseline", "no technique changes the current model")
    }
}
