import XCTest
import SlimKernels

/// Random Floats in [-1, 1) from a seeded generator.
func randomFloats(_ count: Int, _ g: inout SeededGenerator, scale: Float = 1) -> [Float] {
    (0..<count).map { _ in g.uniform(-scale, scale) }
}

/// Random Int8 codes in `range`.
func randomInt8(_ count: Int, _ g: inout SeededGenerator, _ range: ClosedRange<Int> = -128...127) -> [Int8] {
    (0..<count).map { _ in Int8(range.lowerBound + g.nextInt(below: range.count)) }
}

/// Asserts `|actual − expected| ≤ tolerance · (1 + |expected|)` element by element and reports
/// the worst element, so a failure says where and by how much.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count " + message(), file: file, line: line)
    var worst: (index: Int, error: Float) = (-1, 0)
    for i in 0..<min(actual.count, expected.count) {
        let error = abs(actual[i] - expected[i]) / (1 + abs(expected[i]))
        if !(error <= worst.error) { worst = (i, error.isNaN ? .infinity : error) }
    }
    if worst.index >= 0 && !(worst.error <= tolerance) {
        XCTFail("worst relative error \(worst.error) > \(tolerance) at \(worst.index): \(actual[worst.index]) vs \(expected[worst.index]) " + message(),
                file: file, line: line)
    }
}

/// A pool per thread count, for determinism tests.
let poolsForDeterminism = [1, 2, 8].map { ComputePool(threads: $0) }
