import XCTest
import SlimKernels
@testable import SlimLab

/// The same tensor under PyTorch's, TFLite's, affine and ggml's int8 conventions.
final class QuantConventionsTests: XCTestCase {
    /// 32 values with extreme +3 first: under PyTorch 3·(1/s) = 127.5 exactly in float32.
    private func tensor(extreme: Float) -> Tensor<Float> {
        var values = (0..<32).map { Float($0 % 7) * 0.25 - 0.5 }
        values[5] = extreme
        return Tensor(shape: [1, 32], scalars: values)
    }

    func testPositiveExtremeClipsUnderPyTorchOnly() throws {
        let report = try ConventionsReport(name: "w", tensor: tensor(extreme: 3))
        XCTAssertEqual(report.rows.map(\.convention), [.pytorch, .tflite, .affine, .ggmlQ8_0])
        XCTAssertEqual(report.sampleIndices.first, 5)
        let pytorch = report.rows[0], tflite = report.rows[1], affine = report.rows[2], ggml = report.rows[3]
        XCTAssertEqual(pytorch.scale, Float(3) / 127.5)
        XCTAssertEqual(pytorch.integerRange, -128...127)
        XCTAssertEqual(pytorch.sampleCodes[0], 127)            // 127.5 → 128 → clamped
        XCTAssertEqual(pytorch.metrics.clippedFraction, 1.0 / 32)
        XCTAssertEqual(tflite.sampleCodes[0], 127)
        XCTAssertEqual(tflite.metrics.clippedFraction, 0)
        XCTAssertEqual(tflite.integerRange, -127...127)
        // Affine over [-0.5, 3]: s = 3.5/255, z = -128 - round(-36.43) = -92.
        XCTAssertEqual(affine.zeroPoint, -92)
        XCTAssertEqual(affine.sampleCodes[0], 127)
        XCTAssertEqual(ggml.scaleCount, 1)
        XCTAssertEqual(ggml.sampleCodes[0], 127)
        XCTAssertEqual(ggml.storedBytes, 34)
        XCTAssertTrue(report.notes[1].contains("clamped to 127"), report.notes[1])
        // The second sample is the minimum, -0.5: PyTorch -0.5·42.5 = -21.25 → -21; TFLite
        // -0.5·127/3 = -21.17 → -21; affine -36.43 → -36 - 92 = -128.
        XCTAssertEqual(report.sampleValues[1], -0.5)
        XCTAssertEqual(pytorch.sampleCodes[1], -21)
        XCTAssertEqual(affine.sampleCodes[1], -128)
    }

    func testNegativeExtremeKeepsMinus128UnderPyTorch() throws {
        let report = try ConventionsReport(name: "w", tensor: tensor(extreme: -3))
        XCTAssertEqual(report.rows[0].sampleCodes[0], -128)    // -127.5 → -128 (even), inside the range
        XCTAssertEqual(report.rows[0].metrics.clippedFraction, 0)
        XCTAssertEqual(report.rows[1].sampleCodes[0], -127)
        XCTAssertTrue(report.notes[1].contains("-128"), report.notes[1])
    }

    func testGGMLIsSkippedWithAReasonWhenRowsDoNotDivide() throws {
        let report = try ConventionsReport(name: "fc3.bias", tensor: Tensor(shape: [10], scalars: (0..<10).map { Float($0) }))
        XCTAssertEqual(report.rows.count, 3)
        XCTAssertEqual(report.skipped.map(\.0), [.ggmlQ8_0])
        XCTAssertTrue(report.skipped[0].1.contains("blocks of 32"))
        XCTAssertEqual(report.sampleIndices, [9, 0, 8, 1, 2, 3])
    }
}
