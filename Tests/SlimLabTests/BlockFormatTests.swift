import XCTest
import SlimKernels
@testable import SlimLab

/// ggml's Q8_0 and Q4_0 against blocks computed by hand (and with a NumPy transcription of
/// `quantize_row_q8_0_ref` / `quantize_row_q4_0_ref`).
final class BlockFormatTests: XCTestCase {
    /// x_j = (j − 16)/4: −4, −3.75, …, 3.75.
    private let ramp = Tensor<Float>(shape: [1, 32], scalars: (0..<32).map { Float($0 - 16) / 4 })

    func testBitsPerWeight() {
        XCTAssertEqual(BlockFormat.q8_0.bitsPerWeight, 8.5)
        XCTAssertEqual(BlockFormat.q4_0.bitsPerWeight, 4.5)
        XCTAssertEqual(BlockFormat.q8_0.bytesPerBlock, 34)
        XCTAssertEqual(BlockFormat.q4_0.bytesPerBlock, 18)
    }

    func testQ8_0RampBlock() throws {
        let q = try BlockQuantizedTensor(ramp, format: .q8_0)
        // d = 4/127 = 0.031496063, stored as fp16 0x2808 = 0.031494140625.
        XCTAssertEqual(q.bytes.count, 34)
        XCTAssertEqual(Array(q.bytes[0..<2]), [0x08, 0x28])
        XCTAssertEqual(q.scale(ofBlock: 0), 0.031494140625)
        // Codes round(x · 31.75), computed with the fp32 d.
        XCTAssertEqual(q.codes(ofBlock: 0), [-127, -119, -111, -103, -95, -87, -79, -71, -64, -56, -48, -40, -32, -24, -16, -8,
                                             0, 8, 16, 24, 32, 40, 48, 56, 64, 71, 79, 87, 95, 103, 111, 119])
        // Dequantized with the fp16 d: -127 · 0.031494140625.
        XCTAssertEqual(q.dequantized()[flat: 0], -3.999755859375)
    }

    func testQ8_0RoundsHalfAwayFromZero() throws {
        // max|x| = 127 → d = 1 (fp16 0x3C00), so x · (1/d) = x: ties show the rounding rule.
        var values = [Float](repeating: 0, count: 32)
        values[0] = 127; values[1] = 2.5; values[2] = -2.5; values[3] = 0.5; values[4] = 1.5; values[5] = -0.5
        let q = try BlockQuantizedTensor(Tensor(shape: [32], scalars: values), format: .q8_0)
        XCTAssertEqual(Array(q.bytes[0..<2]), [0x00, 0x3C])
        XCTAssertEqual(Array(q.codes(ofBlock: 0)[0..<6]), [127, 3, -3, 1, 2, -1])
    }

    func testQ4_0RampBlockClampsTheOppositeExtremeAt15() throws {
        let q = try BlockQuantizedTensor(ramp, format: .q4_0)
        // The extreme is -4: d = -4/-8 = 0.5 (fp16 0x3800); q = min(15, ⌊2x + 8.5⌋).
        XCTAssertEqual(q.bytes.count, 18)
        XCTAssertEqual(Array(q.bytes[0..<2]), [0x00, 0x38])
        XCTAssertEqual(q.codes(ofBlock: 0), [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8,
                                             8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 15])
        // Weight j in the low nibble of byte j, weight j + 16 in the high nibble.
        XCTAssertEqual(Array(q.bytes[2...]), [128, 145, 145, 162, 162, 179, 179, 196, 196, 213, 213, 230, 230, 247, 247, 248])
        let x̂ = q.dequantized()
        XCTAssertEqual(x̂[flat: 0], -4)          // the extreme is exact: (0 - 8) · 0.5
        XCTAssertEqual(x̂[flat: 31], 3.5)        // 3.75 → code 16 clamped to 15 → 3.5
        XCTAssertEqual(x̂[flat: 1], -3.5)        // -3.75 → ⌊1.0⌋ = 1 → -3.5
    }

    func testQ4_0SignOfTheScaleFollowsTheExtreme() throws {
        // Mirrored ramp: the extreme is +4 at j = 0, so d = -0.5 (fp16 0xB800): same codes, same bytes.
        let mirrored = Tensor<Float>(shape: [32], scalars: (0..<32).map { Float(16 - $0) / 4 })
        let q = try BlockQuantizedTensor(mirrored, format: .q4_0)
        XCTAssertEqual(Array(q.bytes[0..<2]), [0x00, 0xB8])
        XCTAssertEqual(q.scale(ofBlock: 0), -0.5)
        XCTAssertEqual(q.codes(ofBlock: 0)[0], 0)
        XCTAssertEqual(q.dequantized()[flat: 0], 4)
        // Equal magnitudes: the first one wins. [-4, 4, 0, …]: d = 0.5, and +4 → ⌊16.5⌋ → 15 → 3.5.
        var tie = [Float](repeating: 0, count: 32)
        tie[0] = -4; tie[1] = 4
        let t = try BlockQuantizedTensor(Tensor(shape: [32], scalars: tie), format: .q4_0)
        XCTAssertEqual(t.scale(ofBlock: 0), 0.5)
        XCTAssertEqual(Array(t.dequantized().scalars[0..<3]), [-4, 3.5, 0])
    }

    func testAllZeroBlocks() throws {
        let zeros = Tensor<Float>.zeros([2, 32])
        let q8 = try BlockQuantizedTensor(zeros, format: .q8_0)
        XCTAssertEqual(q8.bytes, [UInt8](repeating: 0, count: 68))
        let q4 = try BlockQuantizedTensor(zeros, format: .q4_0)
        XCTAssertEqual(q4.codes(ofBlock: 1), [Int](repeating: 8, count: 32))   // id = 0 → ⌊8.5⌋
        XCTAssertEqual(q4.dequantized(), zeros)
    }

    func testBlocksAreIndependentAndRowsMustDivide() throws {
        var values = [Float](repeating: 0.01, count: 64)
        values[40] = 100
        let q = try BlockQuantizedTensor(Tensor(shape: [2, 32], scalars: values), format: .q8_0)
        XCTAssertEqual(q.codes(ofBlock: 0)[0], 127)          // block 0's own scale: 0.01/127
        XCTAssertEqual(q.codes(ofBlock: 1)[0], 0)            // swamped by the 100 in block 1
        XCTAssertThrowsError(try BlockQuantizedTensor(Tensor<Float>.zeros([4, 16]), format: .q4_0)) { error in
            XCTAssertEqual(error as? QuantizationError, .blockSizeMismatch(count: 16, blockSize: 32))
        }
    }

    func testBlockReportWorksTheFirstBlock() throws {
        let report = try BlockQuantizationReport(name: "w", tensor: ramp, format: .q4_0)
        XCTAssertEqual(report.firstBlockScale, 0.5)
        XCTAssertEqual(report.firstBlockStoredScale, 0.5)
        XCTAssertEqual(report.formulas[0].rendered(), "d = m / -8 (m: the value of largest magnitude) = -4 / -8 = 0.5")
        XCTAssertEqual(report.formulas[2].symbol, "q[2]")        // a typical weight: 90th percentile of |x|
        XCTAssertEqual(report.storedBytes, 18)
        XCTAssertEqual(report.bitsPerWeight, 4.5)
        XCTAssertEqual(report.metrics.maxAbsoluteError, 0.25)   // 3.75 → 3.5
    }
}
