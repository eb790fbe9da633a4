import XCTest
import SlimKernels
@testable import SlimLab

/// One binning and one selection: every histogram a report draws is counted by the kernel's
/// rule, and every k-th-smallest pick goes through the kernel's quickselect.
final class BinningAndSelectionTests: XCTestCase {
    func testValueHistogramFollowsTheKernelsOneRule() {
        let values: [Float] = [-2, -1, -0.5, 0, 0.25, 0.5, 1, 1, 3, .nan]
        let histogram = values.withUnsafeBufferPointer { ValueHistogram(values: $0, binCount: 4, lower: -1, upper: 1) }
        // Bins [-1, -0.5) [-0.5, 0) [0, 0.5) [0.5, 1]: -2, 3 and NaN lie outside and are not counted.
        XCTAssertEqual(histogram.counts, [1, 1, 2, 3])
        XCTAssertEqual(histogram.counts, values.withUnsafeBufferPointer { SlimKernels.histogram($0, bins: 4, lower: -1, upper: 1).counts })
        XCTAssertEqual(histogram.bin(of: 1), 3, "the last bin holds the upper edge")
        XCTAssertEqual(histogram.bin(of: -1), 0)
        XCTAssertNil(histogram.bin(of: 1.5))
        XCTAssertNil(histogram.bin(of: .nan))
        // A range of one point is one bin holding the values equal to it.
        let flat = [Float](repeating: 2, count: 5).withUnsafeBufferPointer { ValueHistogram(values: $0, binCount: 3) }
        XCTAssertEqual(flat.counts, [5, 0, 0])
        XCTAssertEqual(flat.bin(of: 2), 0)
        XCTAssertNil(flat.bin(of: 3))
        // Every count of random values agrees with the kernel's reference.
        var generator = SeededGenerator(seed: 7)
        let random = (0..<1000).map { _ in Float(generator.nextUnitDouble() * 4 - 2) }
        let binned = random.withUnsafeBufferPointer { ValueHistogram(values: $0, binCount: 48, lower: -1.5, upper: 1.25) }
        let edges = uniformBinEdges(bins: 48, lower: -1.5, upper: 1.25)
        XCTAssertEqual(binned.counts, random.withUnsafeBufferPointer { histogramReference($0, edges: edges) })
        for x in random { XCTAssertEqual(binned.bin(of: x).map { binned.counts[$0] > 0 }, x >= -1.5 && x <= 1.25 ? true : nil) }
    }

    /// The representative weight of a quantization report is the element at rank ⌊(n−1)·9/10⌋
    /// of |x| ordered by magnitude, then index — as sorting would find it.
    func testRepresentativeIndexIsTheRankSortingFinds() {
        var generator = SeededGenerator(seed: 11)
        for count in [1, 2, 3, 10, 33, 500] {
            // Few distinct magnitudes, both signs: many ties to break by index.
            let values = (0..<count).map { _ in Float(generator.nextInt(below: 7) - 3) / 2 }
            let sorted = values.indices.sorted { (abs(values[$0]), $0) < (abs(values[$1]), $1) }
            let expected = sorted[(count - 1) * 9 / 10]
            XCTAssertEqual(values.withUnsafeBufferPointer(QuantizationWorkedExample.representativeIndex(in:)), expected, "count \(count)")
        }
    }
}
