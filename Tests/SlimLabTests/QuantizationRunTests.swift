import XCTest
import SlimKernels
@testable import SlimLab

/// Post-training quantization of a whole model into a new variant: sizes as stored, the
/// source untouched, the three modes.
final class QuantizationRunTests: XCTestCase {
    private let pool = ComputePool(threads: 1)

    private func model() throws -> (Model, Tensor<Float>) {
        var generator = SeededGenerator(seed: 9)
        let model = try ModelArchitecture.mlp("64-64-10").makeModel(generator: &generator)
        let data = Tensor<Float>(shape: [100, 64], scalars: (0..<6400).map { _ in Float(generator.normal()) })
        return (model, data)
    }

    func testWeightOnlyInt4StoresPackedCodes() throws {
        let (source, data) = try model()
        let before = source.logits(data, pool: pool)
        let run = try PostTrainingQuantization.run(
            source, options: QuantizationOptions(bits: 4, granularity: .channel, weightsOnly: true),
            calibrationData: nil, pool: pool)
        // fc1: 64·64/2 packed bytes + 64 scales; fc2: 10·64/2 + 10 scales; biases stay fp32.
        XCTAssertEqual(run.variantBytes, (2048 + 64 * 4) + 64 * 4 + (320 + 10 * 4) + 10 * 4)
        XCTAssertEqual(run.sourceBytes, 4810 * 4)
        XCTAssertEqual(run.errorTable.map(\.name), ["fc1.weight", "fc2.weight"])
        XCTAssertEqual(run.errorTable[0].format, "int4 symmetric per-channel")
        XCTAssertEqual(run.variant.storedTensors[0].dtype.rawValue, "int4")
        // The source is untouched; the variant computes with the dequantized weights.
        XCTAssertEqual(source.logits(data, pool: pool), before)
        XCTAssertNotEqual(run.variant.logits(data, pool: pool), before)
        let fc1 = try run.variant.parameter(named: "fc1.weight").value
        XCTAssertEqual(fc1, run.weightReports[0].dequantized)
        XCTAssertNil(run.engine)
    }

    func testBlockFormatQ4_0() throws {
        let (source, _) = try model()
        let run = try PostTrainingQuantization.run(source, options: QuantizationOptions(format: .q4_0),
                                                   calibrationData: nil, pool: pool)
        // fc1: 64 rows × 2 blocks × 18 bytes; fc2: 10 rows × 2 blocks × 18 bytes.
        XCTAssertEqual(run.variant.storedTensors.map(\.byteCount), [128 * 18, 64 * 4, 20 * 18, 10 * 4])
        XCTAssertEqual(run.blockReports.map(\.bitsPerWeight), [4.5, 4.5])
        XCTAssertEqual(run.errorTable[1].format, "Q4_0")
        XCTAssertTrue(run.keptInFloat.isEmpty)

        var generator = SeededGenerator(seed: 1)
        let narrow = try ModelArchitecture.mlp("64-16-10").makeModel(generator: &generator)
        let partial = try PostTrainingQuantization.run(narrow, options: QuantizationOptions(format: .q8_0),
                                                       calibrationData: nil, pool: pool)
        XCTAssertEqual(partial.keptInFloat.map(\.name), ["fc2.weight"])      // rows of 16
        XCTAssertEqual(partial.blockReports.count, 1)
    }

    func testStaticInt8RunsTheEngine() throws {
        let (source, data) = try model()
        let run = try PostTrainingQuantization.run(
            source, options: QuantizationOptions(granularity: .channel, calibration: CalibrationSettings(method: .percentile),
                                                 calibrationSamples: 64),
            calibrationData: data, pool: pool)
        XCTAssertEqual(run.activations.map(\.name), ["input", "relu1.out"])
        XCTAssertEqual(run.activations[0].calibration?.observedCount, 64 * 64)
        XCTAssertNotNil(run.variant.inferenceEngine)
        XCTAssertEqual(run.variant.logits(data, pool: pool), run.engine!.logits(data, pool: pool))
        // 1 byte per weight plus 4 per channel scale; biases 4 bytes each (int32).
        XCTAssertEqual(run.variantBytes, (4096 + 64 * 4) + 64 * 4 + (640 + 10 * 4) + 10 * 4)
        XCTAssertEqual(run.options.summary, "int8 static symmetric per-channel, percentile")
        XCTAssertThrowsError(try PostTrainingQuantization.run(source, options: QuantizationOptions(), calibrationData: nil,
                                                              pool: pool)) { error in
            XCTAssertEqual(error as? QuantizationError, .noCalibrationData)
        }
    }

    func testStopInterruptsCalibration() throws {
        let (source, data) = try model()
        let stop = StopSignal()
        stop.request()
        XCTAssertThrowsError(try PostTrainingQuantization.run(source, options: QuantizationOptions(), calibrationData: data,
                                                              pool: pool, stop: stop)) { error in
            XCTAssertEqual(error as? QuantizationError, .interrupted)
        }
    }

    func testOptionsAreValidated() {
        XCTAssertThrowsError(try QuantizationOptions(bits: 12).validated())
        XCTAssertThrowsError(try QuantizationOptions(calibrationSamples: 0).validated()) { error in
            XCTAssertTrue("\(error)".contains("samples=0"))
        }
        XCTAssertEqual(try QuantizationOptions(bits: 4).validated().calibration.bits, 4)
    }
}

/// Training a quantized variant trains its Float weights; its kernels are derived from them.
final class QuantizedStorageTests: XCTestCase {
    private let pool = ComputePool(threads: 1)

    func testTrainingAStaticVariantRecompilesItsEngine() throws {
        let workspace = Workspace(threads: 1)
        let split = TestData.blobSplit
        workspace.data = split
        try workspace.newModel("mlp 4-8-3", name: "base")
        var options = workspace.trainingDefaults
        options.epochs = 3
        try workspace.train(data: split, options: options)
        let base = try workspace.variants.variant(named: "base")
        for quantization in [QuantizationOptions(granularity: .channel), QuantizationOptions(bits: 4, weightsOnly: true)] {
            let run = try PostTrainingQuantization.run(base.model, options: quantization, calibrationData: split.train.features,
                                                       pool: pool)
            let name = "q\(quantization.bits)"
            try workspace.variants.add(Variant(name: name, model: run.variant, origin: "test"))
            try workspace.train(name, data: split, options: options)
            let trained = try workspace.variants.variant(named: name).model
            // Still quantized, and its kernels hold the trained weights: the per-layer path and
            // the whole-model path agree with a fresh quantization of the same Float weights.
            XCTAssertNotNil(QuantizedStorage.capture(trained))
            XCTAssertEqual(trained.storedByteCount, run.variantBytes)
            let fc1 = try trained.parameter(named: "fc1.weight").value
            XCTAssertNotEqual(fc1, try run.variant.parameter(named: "fc1.weight").value)
            let requantized = try QuantizedTensor.quantize(fc1, spec: quantization.weightSpec).quantized.dequantized()
            if let engine = trained.inferenceEngine as? Int8Network {
                XCTAssertEqual(engine.stages[0].weight.dequantized(), requantized)
                XCTAssertEqual(engine.input.parameters, run.engine!.input.parameters)   // same calibrated ranges
            } else {
                let kernel = try XCTUnwrap((trained.layers[0] as? Dense)?.inferenceKernel as? WeightOnlyDenseKernel)
                XCTAssertEqual(kernel.dequantizedWeight, requantized)
            }
        }
    }
}
