import XCTest
import SlimKernels
@testable import SlimLab

/// The int8 engine against its Float fake-quant simulation and against the kernels' readable
/// references, on a seeded random MLP (training-independent: the engine's arithmetic is what
/// is under test).
final class Int8EngineTests: XCTestCase {
    private let pool = ComputePool(threads: 2)

    /// mlp 64-32-10 with random non-zero biases, and inputs that look standardized.
    private func fixture(seed: UInt64 = 5) throws -> (model: Model, calibration: Tensor<Float>, test: Tensor<Float>) {
        var generator = SeededGenerator(seed: seed)
        var model = try ModelArchitecture.mlp("64-32-10").makeModel(generator: &generator)
        model.updateParameters { name, parameter in
            if parameter.role == .bias {
                parameter.value = Tensor(shape: parameter.value.shape,
                                         scalars: (0..<parameter.count).map { _ in generator.uniform(-0.3, 0.3) })
            }
        }
        let calibration = Tensor<Float>(shape: [256, 64], scalars: (0..<256 * 64).map { _ in Float(generator.normal()) })
        let test = Tensor<Float>(shape: [300, 64], scalars: (0..<300 * 64).map { _ in Float(generator.normal()) })
        return (model, calibration, test)
    }

    private func compile(_ model: Model, calibration: Tensor<Float>, bits: Int = 8,
                         granularity: QuantizationGranularity = .channel, method: CalibrationMethod = .minmax,
                         path: Int8GEMMPath = .best) throws -> Int8Network {
        let results = try StaticQuantization.calibrate(model, data: calibration,
                                                       settings: CalibrationSettings(method: method, bits: bits), pool: pool)
        return try StaticQuantization.compile(
            model, weightSpec: QuantizationSpec(bits: bits, scheme: .symmetric, granularity: granularity),
            activationBits: bits, ranges: results.map { .init(name: $0.name, calibration: $0.result) }, path: path)
    }

    private func argmax(_ logits: Tensor<Float>) -> [Int] {
        let n = logits.shape[1]
        return (0..<logits.shape[0]).map { i in
            (0..<n).max { logits[i, $0] < logits[i, $1] || (logits[i, $0] == logits[i, $1] && $0 > $1) }!
        }
    }

    func testChainFusesReLUAndNamesCalibrationPoints() throws {
        let (model, calibration, _) = try fixture()
        XCTAssertEqual(try StaticQuantization.chain(of: model),
                       [.init(denseIndex: 0, reluIndex: 1), .init(denseIndex: 2, reluIndex: nil)])
        let results = try StaticQuantization.calibrate(model, data: calibration, settings: CalibrationSettings(), pool: pool)
        XCTAssertEqual(results.map(\.name), ["input", "relu1.out"])
        XCTAssertEqual(results[1].result.min, 0)                     // after ReLU
        XCTAssertEqual(results[0].result.observedCount, 256 * 64)
        let network = try compile(model, calibration: calibration)
        XCTAssertEqual(network.stages.map(\.name), ["fc1", "fc2"])
        XCTAssertEqual(network.stages[0].fusedReLUName, "relu1")
        XCTAssertEqual(network.stages[0].output?.parameters.zeroPoint, -128)   // [0, T]: z = q_min
    }

    func testEngineCodesMatchTheKernelReferences() throws {
        let (model, calibration, test) = try fixture()
        let network = try compile(model, calibration: calibration, path: .portable)
        let (logits, codes) = network.run(test, pool: pool)
        let stage0 = network.stages[0], stage1 = network.stages[1]
        let batch = 300
        // Hidden codes = the reference int32 GEMM, then the reference requantization.
        var acc = [Int32](repeating: 0, count: batch * 32)
        let w0 = stage0.packed.unpacked()
        codes[0].withUnsafeBufferPointer { a in
            w0.withUnsafeBufferPointer { w in
                gemmInt8Reference(m: batch, n: 32, k: 64, a: a.baseAddress!, lda: 64,
                                  aZeroPoint: Int32(stage0.input.zeroPoint), w: w.baseAddress!, ldw: 64,
                                  weightZeroPoints: [0], c: &acc, ldc: 32)
            }
        }
        var hidden = [Int8](repeating: 0, count: batch * 32)
        let out = stage0.output!.parameters
        requantizeReference(acc, rows: batch, n: 32, ldAcc: 32, weightScales: stage0.weight.parameters.map(\.scale),
                            Int8Requantization(activationScale: stage0.input.scale, bias: stage0.integerBias,
                                               outputScale: out.scale, outputZeroPoint: Int32(out.zeroPoint), relu: true),
                            into: &hidden, ldy: 32)
        XCTAssertEqual(codes[1].scalars, hidden)
        // … and equal to the kernels' fused requantizing GEMM.
        var fused = [Int8](repeating: 0, count: batch * 32)
        codes[0].withUnsafeBufferPointer { a in
            gemmInt8(m: batch, a: a.baseAddress!, lda: 64, aZeroPoint: Int32(stage0.input.zeroPoint), weights: stage0.packed,
                     requantization: Int8Requantization(activationScale: stage0.input.scale, bias: stage0.integerBias,
                                                        outputScale: out.scale, outputZeroPoint: Int32(out.zeroPoint), relu: true),
                     c: &fused, ldc: 32, pool: pool)
        }
        XCTAssertEqual(codes[1].scalars, fused)
        // Logits = the reference dequantization of the second product.
        var acc2 = [Int32](repeating: 0, count: batch * 10)
        let w1 = stage1.packed.unpacked()
        hidden.withUnsafeBufferPointer { a in
            w1.withUnsafeBufferPointer { w in
                gemmInt8Reference(m: batch, n: 10, k: 32, a: a.baseAddress!, lda: 32, aZeroPoint: Int32(out.zeroPoint),
                                  w: w.baseAddress!, ldw: 32, weightZeroPoints: [0], c: &acc2, ldc: 10)
            }
        }
        var expected = [Float](repeating: 0, count: batch * 10)
        dequantizeAccumulatorsReference(acc2, rows: batch, n: 10, ldAcc: 10, weightScales: stage1.weight.parameters.map(\.scale),
                                        Int8Dequantization(activationScale: out.scale, bias: stage1.floatBias),
                                        into: &expected, ldy: 10)
        XCTAssertEqual(logits.scalars, expected)
        // The fast path gives the same bits.
        if Int8GEMMPath.vnni.isAvailable {
            var fast = network
            fast.path = .vnni
            XCTAssertEqual(fast.logits(test, pool: pool).scalars, logits.scalars)
        }
    }

    func testEngineMatchesTheFakeQuantSimulation() throws {
        let (model, calibration, test) = try fixture()
        for granularity in QuantizationGranularity.allCases {
            let network = try compile(model, calibration: calibration, granularity: granularity)
            let simulation = FakeQuantSimulation(network: network)
            let (engineLogits, codes) = network.run(test, pool: pool)
            let (simulatedLogits, activations) = simulation.run(test, pool: pool)

            // Input codes are the same quantization: identical.
            let inputGrid = network.input.parameters
            XCTAssertEqual(codes[0].scalars.map { inputGrid.dequantize(Int($0)) }, activations[0].scalars)

            // Hidden codes differ by at most one step, and rarely (Float rounding of the products).
            let hiddenGrid = network.stages[0].output!.parameters
            let simulatedHidden = activations[1].scalars.map { Int(($0 / hiddenGrid.scale).rounded()) + hiddenGrid.zeroPoint }
            let differences = zip(codes[1].scalars, simulatedHidden).map { abs(Int($0) - $1) }
            XCTAssertLessThanOrEqual(differences.max()!, 1)
            XCTAssertLessThan(Double(differences.filter { $0 > 0 }.count) / Double(differences.count), 0.01)

            // Logits: one hidden step s_h off in every input of a row moves logit j by at most
            // s_h·Σₚ|Ŵ[j, p]|; allow that plus Float rounding.
            let w2 = network.stages[1].weight.dequantized()
            let bound = (0..<10).map { j in
                hiddenGrid.scale * (0..<32).reduce(Float(0)) { $0 + abs(w2[j, $1]) }
            }
            for i in 0..<300 {
                for j in 0..<10 {
                    XCTAssertLessThanOrEqual(abs(engineLogits[i, j] - simulatedLogits[i, j]), bound[j] + 1e-4,
                                             "row \(i) logit \(j) (\(granularity))")
                }
            }

            // Accuracy against the fp32 model's own predictions: within 0.5 points of each other.
            let reference = model.predictedClasses(test, pool: pool)
            let engineAccuracy = zip(argmax(engineLogits), reference).filter { $0 == $1 }.count
            let simulatedAccuracy = zip(argmax(simulatedLogits), reference).filter { $0 == $1 }.count
            XCTAssertLessThanOrEqual(abs(Double(engineAccuracy - simulatedAccuracy)) / 3, 0.5)
            XCTAssertGreaterThan(Double(engineAccuracy) / 300, 0.9)
        }
    }

    func testActivationQuantizerIsTheKernelsBitForBit() throws {
        var generator = SeededGenerator(seed: 8)
        var values = (0..<1000).map { _ in Float(generator.normal()) * 3 }
        values += [.nan, .infinity, -.infinity, 0.5, -0.5, 1.5, 2.5, -2.5, 1e30, -1e30]
        let x = Tensor<Float>(shape: [values.count], scalars: values)
        for p in [QuantizationParameters(scale: 0.5, zeroPoint: 0, range: try IntegerRange(bits: 8, scheme: .affine)),
                  QuantizationParameters(scale: 0.037, zeroPoint: -31, range: try IntegerRange(bits: 8, scheme: .affine)),
                  QuantizationParameters(scale: 0.9, zeroPoint: 3, range: try IntegerRange(bits: 4, scheme: .affine))] {
            let expected = x.quantized(as: Int8.self, scale: p.scale, zeroPoint: Int32(p.zeroPoint),
                                       qmin: Int32(p.range.qmin), qmax: Int32(p.range.qmax))
            XCTAssertEqual(quantizeActivation(x, p).scalars, expected.scalars)
        }
    }

    func testModelRunsTheEngineWhenOneIsSet() throws {
        let (model, calibration, test) = try fixture()
        let network = try compile(model, calibration: calibration)
        var quantized = model
        quantized.inferenceEngine = network
        XCTAssertEqual(quantized.logits(test, pool: pool).scalars, network.logits(test, pool: pool).scalars)
        XCTAssertNotEqual(model.logits(test, pool: pool).scalars, quantized.logits(test, pool: pool).scalars)
    }

    func testFourBitActivationsStayOnTheirGrid() throws {
        let (model, calibration, test) = try fixture()
        let network = try compile(model, calibration: calibration, bits: 4)
        let (_, codes) = network.run(test, pool: pool)
        XCTAssertEqual(codes[1].scalars.min(), -8)
        XCTAssertLessThanOrEqual(codes[1].scalars.max()!, 7)
        XCTAssertTrue(network.stages[0].weight.codes.scalars.allSatisfy { $0 >= -7 && $0 <= 7 })
    }

    func testUnsupportedLayersAreNamed() throws {
        var generator = SeededGenerator(seed: 1)
        let cnn = try ModelArchitecture.cnn().makeModel(generator: &generator)
        XCTAssertThrowsError(try StaticQuantization.chain(of: cnn)) { error in
            guard case .unsupportedLayer(_, let kind, _) = error as? QuantizationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(kind, "conv2d")
        }
    }
}

/// The `formula int8-gemm` walkthrough: its integers against a direct computation.
final class Int8GEMMWalkthroughTests: XCTestCase {
    func testExampleByHand() throws {
        let w = try Int8GEMMWalkthrough.example()
        // x ∈ [-1.2, 2]: s_x = 3.2/255, z_x = -128 - round(-95.625) = -32.
        XCTAssertEqual(w.inputGrid.zeroPoint, -32)
        XCTAssertEqual(w.inputCodes, [32, -128, -8, 127])     // 63.75→64, -95.6→-96, 23.9→24, 159.4→159, each - 32
        XCTAssertEqual(w.outputGrid.zeroPoint, -128)
        for output in w.outputs {
            // The expansion equals Σ (q_x - z_x)(q_w - 0).
            let direct = zip(w.inputCodes, output.weightCodes).reduce(0) { $0 + ($1.0 + 32) * $1.1 }
            XCTAssertEqual(output.accumulator, direct)
            XCTAssertEqual(output.activationSumTerm, 0)          // symmetric weights: z_w = 0
            XCTAssertEqual(output.weightSumTerm, -32 * output.weightCodes.reduce(0, +))
            // M₀·2⁻ⁿ reproduces M.
            XCTAssertEqual(Double(output.fixedPointMultiplier) * pow(2, -Double(output.fixedPointShift)),
                           Double(output.multiplier), accuracy: Double(output.multiplier) * 1e-6)
            XCTAssertGreaterThanOrEqual(output.fixedPointMultiplier, 1 << 30)
            XCTAssertLessThan(output.fixedPointMultiplier, 1 << 31)
            // The integer result is the Float layer's to within about a step of each grid.
            XCTAssertEqual(output.reconstructed, output.floatOutput, accuracy: 0.03)
        }
        // Channel 0: y = 0.4 + 0.3 + 0.03 + 0.8 + 0.1 = 1.63; channel 1: -0.24 - 0.72 + 0.06 - 0.2 - 0.2 → ReLU 0.
        XCTAssertEqual(w.outputs[0].floatOutput, 1.63, accuracy: 1e-5)
        XCTAssertEqual(w.outputs[1].floatOutput, 0)
        XCTAssertEqual(w.outputs[1].outputCode, -128)
    }
}
