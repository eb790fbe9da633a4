import XCTest
import SlimKernels
@testable import SlimLab

/// Scale, zero point, quantize and dequantize against values computed by hand (and checked
/// with NumPy float32 arithmetic).
final class QuantizationMathTests: XCTestCase {
    func testIntegerRangesPerScheme() throws {
        XCTAssertEqual(try IntegerRange(bits: 8, scheme: .symmetric).qmin, -127)
        XCTAssertEqual(try IntegerRange(bits: 8, scheme: .symmetric).qmax, 127)
        XCTAssertEqual(try IntegerRange(bits: 8, scheme: .affine).qmin, -128)
        XCTAssertEqual(try IntegerRange(bits: 4, scheme: .symmetric).qmin, -7)
        XCTAssertEqual(try IntegerRange(bits: 4, scheme: .affine).levelCount, 16)
        XCTAssertEqual(try IntegerRange(bits: 2, scheme: .symmetric).levelCount, 3)
        XCTAssertThrowsError(try IntegerRange(bits: 1, scheme: .affine)) { error in
            XCTAssertEqual(error as? QuantizationError, .unsupportedBits(1))
            XCTAssertTrue("\(error)".contains("bits=1"))
        }
        XCTAssertThrowsError(try IntegerRange(bits: 9, scheme: .symmetric))
    }

    func testAffineScaleAndZeroPoint() throws {
        // [-1, 2]: s = 3/255, z = -128 - round(-1/s) = -128 + 85 = -43.
        let d = try QuantizationParameters.derive(min: -1, max: 2, bits: 8, scheme: .affine)
        XCTAssertEqual(d.parameters.scale, Float(3) / 255)
        XCTAssertEqual(d.parameters.zeroPoint, -43)
        XCTAssertEqual(d.parameters.quantize(0), -43)
        XCTAssertEqual(d.parameters.quantize(2), 127)
        XCTAssertEqual(d.parameters.quantize(-1), -128)
        XCTAssertEqual(d.parameters.dequantize(-43), 0)
        XCTAssertEqual(d.formulas.map(\.symbol), ["min", "max", "s", "z"])
        XCTAssertEqual(d.formulas[2].rendered(),
                       "s = (max - min) / (q_max - q_min) = (2 - (-1)) / (127 - (-128)) = 0.01176")
        XCTAssertEqual(d.formulas[3].substituted(), "clamp(-128 - round(-1 / 0.01176), -128, 127)")
        XCTAssertTrue(d.notes.isEmpty)
    }

    func testAffineWidensToIncludeZero() throws {
        // Positive-only [0.5, 2] becomes [0, 2]: z = -128, and 0 is exact.
        let d = try QuantizationParameters.derive(min: 0.5, max: 2, bits: 8, scheme: .affine)
        XCTAssertEqual(d.min, 0)
        XCTAssertEqual(d.max, 2)
        XCTAssertEqual(d.parameters.zeroPoint, -128)
        XCTAssertEqual(d.parameters.dequantize(d.parameters.quantize(0)), 0)
        XCTAssertEqual(d.notes.count, 1)
    }

    func testNegativeOnlyRange() throws {
        // [-4, -1] becomes [-4, 0]: s = 4/255, z = -128 - round(-254.99998) = 127.
        let p = try QuantizationParameters.forRange(min: -4, max: -1, bits: 8, scheme: .affine)
        XCTAssertEqual(p.scale, Float(4) / 255)
        XCTAssertEqual(p.zeroPoint, 127)
        XCTAssertEqual(p.quantize(-4), -128)
        XCTAssertEqual(p.quantize(-1), 63)                     // round(-63.749996) + 127
        XCTAssertEqual(p.dequantize(63), -1.0039216, accuracy: 1e-7)
        XCTAssertEqual(p.quantize(0), 127)
        XCTAssertEqual(p.quantize(0.5), 127)                   // clamped
        // Symmetric: max|x| = 4.
        let s = try QuantizationParameters.forRange(min: -4, max: -1, bits: 8, scheme: .symmetric)
        XCTAssertEqual(s.scale, Float(4) / 127)
        XCTAssertEqual(s.quantize(-4), -127)
    }

    func testRoundingIsHalfToEvenBeforeAddingTheZeroPoint() throws {
        let range = try IntegerRange(bits: 8, scheme: .affine)
        let p = QuantizationParameters(scale: 0.5, zeroPoint: 0, range: range)
        XCTAssertEqual(p.quantize(1.25), 2)    // 2.5 → 2
        XCTAssertEqual(p.quantize(1.75), 4)    // 3.5 → 4
        XCTAssertEqual(p.quantize(-1.25), -2)  // -2.5 → -2
        XCTAssertEqual(p.quantize(0.25), 0)    // 0.5 → 0
        XCTAssertEqual(p.quantize(0.75), 2)    // 1.5 → 2
        // With an odd zero point: round(2.5) + 3 = 5, not round(5.5) = 6.
        let shifted = QuantizationParameters(scale: 0.5, zeroPoint: 3, range: range)
        XCTAssertEqual(shifted.quantize(1.25), 5)
        let example = QuantizationWorkedExample(x: 1.25, parameters: shifted)
        XCTAssertTrue(example.isTie)
        XCTAssertEqual(example.scaled, 2.5)
        XCTAssertEqual(example.rounded, 2)
        XCTAssertEqual(example.q, 5)
        XCTAssertEqual(example.reconstructed, 1)
        XCTAssertEqual(example.error, 0.25)
        XCTAssertFalse(example.wasClamped)
    }

    func testClampingAtBothEnds() throws {
        let symmetric = QuantizationParameters(scale: 0.5, zeroPoint: 0, range: try IntegerRange(bits: 8, scheme: .symmetric))
        XCTAssertEqual(symmetric.quantize(100), 127)
        XCTAssertEqual(symmetric.quantize(-100), -127)           // restricted range: never -128
        let affine = QuantizationParameters(scale: 0.5, zeroPoint: 0, range: try IntegerRange(bits: 8, scheme: .affine))
        XCTAssertEqual(affine.quantize(-100), -128)
        XCTAssertEqual(affine.quantize(.infinity), 127)
        XCTAssertEqual(affine.quantize(.nan), -128)
        let four = QuantizationParameters(scale: 1, zeroPoint: 0, range: try IntegerRange(bits: 4, scheme: .symmetric))
        XCTAssertEqual(four.quantize(9), 7)
        let example = QuantizationWorkedExample(x: 9, parameters: four)
        XCTAssertTrue(example.wasClamped)
        XCTAssertEqual(example.error, 2)

        // Clipping is counted: a range [-1, 1] applied to values beyond it.
        let tensor = Tensor<Float>(shape: [4], scalars: [-3, -0.5, 0.5, 3])
        let p = try QuantizationParameters.forRange(min: -1, max: 1, bits: 8, scheme: .symmetric)
        let outcome = QuantizedTensor.quantize(tensor, parameters: [p], spec: QuantizationSpec())
        XCTAssertEqual(outcome.clippedCount, 2)
        XCTAssertEqual(outcome.quantized.codes.scalars, [-127, -64, 64, 127])  // ±63.5 → ±64 (even)
        let metrics = QuantizationErrorMetrics(original: tensor, reconstructed: outcome.quantized.dequantized(),
                                               clippedCount: outcome.clippedCount)
        XCTAssertEqual(metrics.clippedFraction, 0.5)
        XCTAssertEqual(metrics.maxAbsoluteError, 2, accuracy: 1e-6)
    }

    func testAllZeroTensor() throws {
        let zeros = Tensor<Float>.zeros([2, 3])
        let affine = try QuantizedTensor.quantize(zeros, spec: QuantizationSpec(bits: 8, scheme: .affine))
        XCTAssertEqual(affine.quantized.parameters, [QuantizationParameters(scale: 1, zeroPoint: -128,
                                                                            range: try IntegerRange(bits: 8, scheme: .affine))])
        XCTAssertEqual(affine.quantized.codes.scalars, [Int8](repeating: -128, count: 6))
        XCTAssertEqual(affine.quantized.dequantized(), zeros)
        XCTAssertEqual(affine.derivations[0].notes.last, "max = min = 0: s = 1, which represents the single value 0 exactly")

        let symmetric = try QuantizedTensor.quantize(zeros, spec: QuantizationSpec(bits: 4, scheme: .symmetric, granularity: .channel))
        XCTAssertEqual(symmetric.quantized.parameters.map(\.scale), [1, 1])
        XCTAssertEqual(symmetric.quantized.codes.scalars, [Int8](repeating: 0, count: 6))

        let metrics = QuantizationErrorMetrics(original: zeros, reconstructed: symmetric.quantized.dequantized())
        XCTAssertEqual(metrics.meanSquaredError, 0)
        XCTAssertEqual(metrics.sqnrDecibels, .infinity)
    }

    func testSingleValue() throws {
        let one = Tensor<Float>(shape: [1], scalars: [0.5])
        // Affine widens [0.5, 0.5] to [0, 0.5]: s = 0.5/255, z = -128, q = round(254.99998) - 128 = 127.
        let affine = try QuantizedTensor.quantize(one, spec: QuantizationSpec(bits: 8, scheme: .affine))
        XCTAssertEqual(affine.quantized.parameters[0].zeroPoint, -128)
        XCTAssertEqual(affine.quantized.codes.scalars, [127])
        XCTAssertEqual(affine.quantized.dequantized()[flat: 0], 0.5, accuracy: 1e-7)
        // Symmetric: s = 0.5/127, q = 127, x̂ = 0.5 exactly.
        let symmetric = try QuantizedTensor.quantize(one, spec: QuantizationSpec(bits: 8, scheme: .symmetric))
        XCTAssertEqual(symmetric.quantized.codes.scalars, [127])
        XCTAssertEqual(symmetric.quantized.dequantized()[flat: 0], 0.5)
        // A single negative value under symmetric 2-bit (ternary).
        let ternary = try QuantizedTensor.quantize(Tensor(shape: [1], scalars: [-3]),
                                                   spec: QuantizationSpec(bits: 2, scheme: .symmetric))
        XCTAssertEqual(ternary.quantized.codes.scalars, [-1])
        XCTAssertEqual(ternary.quantized.dequantized()[flat: 0], -3)
    }

    func testPerChannelWithAConstantChannel() throws {
        // Channel 0 is constant 3: s = 3/127, codes 127, x̂ = 3. Channel 1 has max|x| = 2:
        // s = 2/127; 1/s = 63.5 exactly → 64 (even), -2 → -127, 0.5/s = 31.75 → 32.
        let w = Tensor<Float>(shape: [2, 3], scalars: [3, 3, 3, 1, -2, 0.5])
        let outcome = try QuantizedTensor.quantize(w, spec: QuantizationSpec(bits: 8, scheme: .symmetric, granularity: .channel))
        XCTAssertEqual(outcome.quantized.parameters.map(\.scale), [Float(3) / 127, Float(2) / 127])
        XCTAssertEqual(outcome.quantized.codes.scalars, [127, 127, 127, 64, -127, 32])
        let x̂ = outcome.quantized.dequantized()
        XCTAssertEqual(Array(x̂.scalars[0..<3]), [3, 3, 3])
        XCTAssertEqual(x̂[1, 0], 1.007874, accuracy: 1e-6)
        XCTAssertEqual(outcome.derivations.count, 2)
        XCTAssertEqual(outcome.clippedCount, 0)
        // Per tensor, the small channel shares the scale 3/127.
        let perTensor = try QuantizedTensor.quantize(w, spec: QuantizationSpec(bits: 8, scheme: .symmetric))
        XCTAssertEqual(perTensor.quantized.parameters.count, 1)
        XCTAssertEqual(perTensor.quantized.codes[1, 0], 42)       // round(42.333)

        // Constant channel under affine: [3, 3] widens to [0, 3]; z = -128.
        let affine = try QuantizedTensor.quantize(w, spec: QuantizationSpec(bits: 8, scheme: .affine, granularity: .channel))
        XCTAssertEqual(affine.quantized.parameters[0].zeroPoint, -128)
        XCTAssertEqual(affine.quantized.codes[0, 0], 127)

        XCTAssertThrowsError(try QuantizedTensor.quantize(Tensor(shape: [3], scalars: [1, 2, 3]),
                                                          spec: QuantizationSpec(granularity: .channel))) { error in
            XCTAssertEqual(error as? QuantizationError, .channelAxisMissing(shape: [3]))
        }
    }

    func testTensorPathAgreesWithTheScalarDefinition() throws {
        var generator = SeededGenerator(seed: 3)
        let w = Tensor<Float>(shape: [7, 13], scalars: (0..<91).map { _ in Float(generator.normal()) * 0.3 + 0.05 })
        for bits in [2, 3, 4, 8] {
            for scheme in QuantizationScheme.allCases {
                let outcome = try QuantizedTensor.quantize(w, spec: QuantizationSpec(bits: bits, scheme: scheme, granularity: .channel))
                let codes = outcome.quantized.codes
                let x̂ = outcome.quantized.dequantized()
                for i in 0..<w.count {
                    let p = outcome.quantized.parameters[i / 13]
                    XCTAssertEqual(Int(codes[flat: i]), p.quantize(w[flat: i]), "bits \(bits) \(scheme) element \(i)")
                    XCTAssertEqual(x̂[flat: i], p.dequantize(p.quantize(w[flat: i])))
                }
            }
        }
    }

    func testPackingFourAndTwoBitCodes() throws {
        let codes: [Int8] = [-8, 7, -1, 0, 3]
        let packed = codes.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: 4) }
        XCTAssertEqual(packed.bytes, [0x78, 0x0F, 0x03])
        XCTAssertEqual(packed.unpacked(shape: [5]).scalars, codes)
        let ternary: [Int8] = [-1, 0, 1, 1, -1]
        let two = ternary.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: 2) }
        XCTAssertEqual(two.bytes, [0b0101_0011, 0b11])
        XCTAssertEqual(two.unpacked(shape: [5]).scalars, ternary)
    }

    func testStoredBytes() throws {
        let w = Tensor<Float>(shape: [4, 8], repeating: 0.25)
        let int8 = try QuantizedTensor.quantize(w, spec: QuantizationSpec(bits: 8, scheme: .symmetric, granularity: .channel))
        XCTAssertEqual(int8.quantized.storedBytes, 32 + 4 * 4)
        let int4 = try QuantizedTensor.quantize(w, spec: QuantizationSpec(bits: 4, scheme: .affine))
        XCTAssertEqual(int4.quantized.storedBytes, 16 + 4 + 1)
    }

    func testErrorMetricsByHand() {
        let x = Tensor<Float>(shape: [4], scalars: [1, -1, 2, 0])
        let y = Tensor<Float>(shape: [4], scalars: [1, -0.5, 2.5, 0])
        let m = QuantizationErrorMetrics(original: x, reconstructed: y, clippedCount: 1)
        XCTAssertEqual(m.meanSquaredError, 0.125)                          // (0.25 + 0.25) / 4
        XCTAssertEqual(m.maxAbsoluteError, 0.5)
        XCTAssertEqual(m.sqnrDecibels, 10 * log10(6 / 0.5), accuracy: 1e-12)  // 10.79 dB
        XCTAssertEqual(m.clippedFraction, 0.25)
    }

    func testEightBitsGiveAboutSixDecibelsPerBit() throws {
        var generator = SeededGenerator(seed: 7)
        let w = Tensor<Float>(shape: [64, 64], scalars: (0..<4096).map { _ in Float(generator.normal()) })
        let eight = try TensorQuantizationReport(name: "w", tensor: w, spec: QuantizationSpec(bits: 8))
        let four = try TensorQuantizationReport(name: "w", tensor: w, spec: QuantizationSpec(bits: 4))
        // Four bits fewer: the step grows 127/7 times, 25.2 dB less SQNR.
        XCTAssertEqual(eight.metrics.sqnrDecibels - four.metrics.sqnrDecibels, 20 * log10(127.0 / 7), accuracy: 1)
        XCTAssertLessThanOrEqual(eight.metrics.maxAbsoluteError, Double(eight.scales[0]) / 2 * 1.0001)
        XCTAssertEqual(eight.storedBytes, 4096 + 4)
        XCTAssertEqual(four.storedBytes, 2048 + 4)
    }

    func testReportWorksAnExampleThroughEveryStep() throws {
        let w = Tensor<Float>(shape: [2, 5], scalars: [0.1, -0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8, -0.9, 1.0])
        let report = try TensorQuantizationReport(name: "fc1.weight", tensor: w,
                                                  spec: QuantizationSpec(bits: 8, granularity: .channel), histogramBins: 8)
        let example = report.workedExample
        // The 90th percentile of |x| among 10 values is the 9th smallest: -0.9 at [1, 3].
        XCTAssertEqual(example.index, [1, 3])
        XCTAssertEqual(example.x, -0.9)
        XCTAssertEqual(example.parameters.scale, Float(1) / 127)
        XCTAssertEqual(example.q, -114)                                   // round(-114.3)
        XCTAssertEqual(example.formulas.map { $0.rendered() }.first, "x / s = -0.9 / 0.007874 = -114.3")
        XCTAssertEqual(example.formulas[2].substituted(), "clamp(-114 + 0, -127, 127)")
        XCTAssertEqual(report.distribution.scope, "fc1.weight channel 1")
        XCTAssertEqual(report.distribution.histogram.total, 5)
        XCTAssertEqual(report.distribution.gridValues.count, 255)
        XCTAssertEqual(report.distribution.gridPointsPerBin.reduce(0, +), 255 - report.distribution.gridValues.filter {
            $0 < report.distribution.histogram.lower || $0 > report.distribution.histogram.upper }.count)
        XCTAssertEqual(report.errorRow.name, "fc1.weight")
    }

    func testFormulaFormatting() {
        XCTAssertEqual(formatReal(0.0047058823, digits: 4), "0.004706")
        XCTAssertEqual(formatReal(2, digits: 4), "2")
        XCTAssertEqual(formatReal(1234567, digits: 4), "1.235e+06")
        XCTAssertEqual(formatReal(0.00001, digits: 3), "1e-05")
        let f = Formula(symbol: "x", symbolic: "a - b", template: "{0} - {1}", values: [.real(1.5), .integer(-2)],
                        result: .real(3.5))
        XCTAssertEqual(f.rendered(), "x = a - b = 1.5 - (-2) = 3.5")
    }
}
