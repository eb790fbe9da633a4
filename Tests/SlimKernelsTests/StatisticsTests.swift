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

    func testKthSmallestMatchesSorting() {
        var values: [Float] = [10, 1, 4, 3, 2]
        XCTAssertEqual(values.kthSmallest(1), 1)
        XCTAssertEqual(values.kthSmallest(5), 10)
        XCTAssertEqual(values.kthSmallest(3), 3)
        var g = SeededGenerator(seed: 2)
        for count in [1, 2, 3, 7, 10, 101, 5000] {
            var x = randomFloats(count, &g)
            if count > 5 { x[2] = x[3]; x[4] = x[3]; x[0] = 0; x[1] = 0 }
            for k in Set([1, 2, count / 3 + 1, count / 2 + 1, max(1, count - 1), count]) where k <= count {
                var copy = x
                let fast = copy.withUnsafeMutableBufferPointer { kthSmallest($0, k) }
                let slow = x.withUnsafeBufferPointer { kthSmallestReference($0, k) }
                XCTAssertEqual(fast, slow, "count \(count) k \(k)")
                XCTAssertTrue(copy[..<(k - 1)].allSatisfy { $0 <= fast } && copy[k...].allSatisfy { $0 >= fast }, "partitioned")
                XCTAssertEqual(copy.sorted(), x.sorted(), "a permutation")
            }
        }
        // Many ties (a pruned tensor's zeros) and sorted input do not go astray.
        var ties = [Float](repeating: 0, count: 10_000) + (1...100).map(Float.init)
        XCTAssertEqual(ties.kthSmallest(10_000), 0)
        XCTAssertEqual(ties.kthSmallest(10_001), 1)
        var ascending = (0..<4096).map(Float.init)
        XCTAssertEqual(ascending.kthSmallest(4000), 3999)
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
