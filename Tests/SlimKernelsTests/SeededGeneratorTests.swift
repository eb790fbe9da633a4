import XCTest
@testable import SlimKernels

final class SeededGeneratorTests: XCTestCase {
    func testSameSeedSameStream() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        for _ in 0..<100 { XCTAssertEqual(a.next(), b.next()) }
    }

    /// The first outputs for seed 0, pinned so that a change of algorithm cannot pass unseen:
    /// every lesson's numbers depend on this stream.
    func testStreamIsPinned() {
        var g = SeededGenerator(seed: 0)
        let first = (0..<3).map { _ in g.next() }
        XCTAssertEqual(first, [11091344671253066420, 13793997310169335082, 1900383378846508768])
    }

    func testNormalMoments() {
        var g = SeededGenerator(seed: 7)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<n { let x = g.normal(); sum += x; sumSquares += x * x }
        let mean = sum / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(sumSquares / Double(n) - mean * mean, 1, accuracy: 0.02)
    }

    func testIntBelowCoversRangeUniformly() {
        var g = SeededGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[g.nextInt(below: 7)] += 1 }
        for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 400) }
    }

    func testPermutationIsAPermutation() {
        var g = SeededGenerator(seed: 1)
        XCTAssertEqual(g.permutation(50).sorted(), Array(0..<50))
    }
}
