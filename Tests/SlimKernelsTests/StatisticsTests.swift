import XCTest
import SlimKernels

final class StatisticsTests: XCTestCase {
    func testStatisticsMatchReference() {
        var g = SeededGenerator(seed: 1)
        for count in [0, 1, 2, 63, 64, 65, 1000, 100_003] {
            let x = randomFloats(count, &g).map { $0 * 3 + 100 }
            let fast = x.withUnsafeBufferPointer { statistics($0) }
            let slow = x.withUnsafeBufferPointer { statisticsReference($0) }
            XCTAssertEqual(fast.count, count)
            XCTAssertEqual(fast.sum, slow.sum, accuracy: 1e-6 * Float(count) * 100 + 1e-6)
            XCTAssertEqual(fast.mean, slow.mean, accuracy: 1e-4)
            XCTAssertEqual(fast.minimum, slow.minimum)
            XCTAssertEqual(fast.maximum, slow.maximum)
            XCTAssertEqual(fast.variance, slow.variance, accuracy: 1e-3 * (1 + slow.variance))
        }
        let t = Tensor<Float>(shape: [4], scalars: [1, -2, 3, 6])
        XCTAssertEqual(t.sum(), 8)
        XCTAssertEqual(t.mean(), 2)
        XCTAssertEqual(t.minimum(), -2)
        XCTAssertEqual(t.maximum(), 6)
        XCTAssertEqual(t.maximumMagnitude(), 6)
        XCTAssertEqual(t.variance(), 8.5)
        XCTAssertEqual(t.statistics().standardDeviation, Float(8.5).squareRoot(), accuracy: 1e-6)
    }

    func testPercentileMatchesNumPyLinear() {
        let t = Tensor<Float>(shape: [5], scalars: [10, 1, 4, 3, 2])
        XCTAssertEqual(t.percentile(0), 1)
        XCTAssertEqual(t.percentile(100), 10)
        XCTAssertEqual(t.percentile(50), 3)
        XCTAssertEqual(t.percentile(90), 7.6, accuracy: 1e-5)      // numpy.percentile([10,1,4,3,2], 90)
        XCTAssertEqual(t.percentile(12.5), 1.5, accuracy: 1e-6)
        var g = SeededGenerator(seed: 2)
        for count in [1, 2, 3, 10, 101, 5000] {
            var x = randomFloats(count, &g)
            if count > 5 { x[2] = x[3]; x[4] = x[3]; x[1] = .nan }
            for p in [0.0, 0.1, 1, 25, 50, 75, 99, 99.99, 100] {
                let fast = x.withUnsafeBufferPointer { percentile($0, p) }
                let slow = x.withUnsafeBufferPointer { percentileReference($0, p) }
                XCTAssertEqual(fast, slow, "count \(count) p \(p)")
            }
        }
        XCTAssertTrue([Float]().withUnsafeBufferPointer { percentile($0, 50) }.isNaN)
    }

    func testHistogramEdgesFollowNumPy() {
        let x: [Float] = [0, 0.5, 1, 1.5, 2, 2, 3, -1, 4, .nan]
        XCTAssertEqual(x.withUnsafeBufferPointer { histogram($0, edges: [0, 1, 2, 3]) }, [2, 2, 3])
        let (counts, edges) = x.withUnsafeBufferPointer { histogram($0, bins: 4, lower: 0, upper: 4) }
        XCTAssertEqual(edges, [0, 1, 2, 3, 4])
        XCTAssertEqual(counts, [2, 2, 2, 2])   // 4 falls in the last bin, −1 and NaN in none
        var g = SeededGenerator(seed: 3)
        for count in [0, 1, 100, 10_000] {
            let v = randomFloats(count, &g, scale: 2)
            for bins in [1, 3, 10, 2048] {
                let e = uniformBinEdges(bins: bins, lower: -1.5, upper: 1.25)
                let fast = v.withUnsafeBufferPointer { histogram($0, edges: e) }
                let slow = v.withUnsafeBufferPointer { histogramReference($0, edges: e) }
                XCTAssertEqual(fast, slow, "count \(count) bins \(bins)")
                XCTAssertEqual(fast.reduce(0, +), v.filter { $0 >= -1.5 && $0 <= 1.25 }.count)
            }
        }
    }
}
