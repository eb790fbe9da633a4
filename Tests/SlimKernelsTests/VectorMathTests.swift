import XCTest
import Foundation
@testable import SlimKernels

final class VectorMathTests: XCTestCase {
    func testExponentialIsWithinAFewULPs() {
        var worst: Double = 0, worstX: Float = 0
        var x: Float = -87.3
        while x < 88 {
            let v = SIMD16<Float>((0..<16).map { x + Float($0) * 0.00137 })
            let e = exponential(v)
            for i in 0..<16 where v[i] <= 88 {
                let exact = Foundation.exp(Double(v[i]))
                let ulp = Double(Float(exact).ulp)
                let error = abs(Double(e[i]) - exact) / ulp
                if error > worst { worst = error; worstX = v[i] }
            }
            x += 0.0219
        }
        XCTAssertLessThan(worst, 3, "worst error \(worst) ulp at x = \(worstX)")
    }

    func testExponentialEdges() {
        let v = SIMD16<Float>(0, 1, -1, -87.4, -1e4, -.infinity, 89, .infinity, .nan, 1e-8, -1e-8, 88, 10, -10, 0.5, -0.5)
        let e = exponential(v)
        XCTAssertEqual(e[0], 1)
        XCTAssertEqual(e[1], Float(M_E), accuracy: 1e-6)
        XCTAssertEqual(e[3], 0)
        XCTAssertEqual(e[4], 0)
        XCTAssertEqual(e[5], 0)
        XCTAssertEqual(e[6], .infinity)
        XCTAssertEqual(e[7], .infinity)
        XCTAssertTrue(e[8].isNaN)
        XCTAssertEqual(e[9], 1)
        XCTAssertTrue(e[11].isFinite)
    }

    func testLaneMaximumIgnoresNaN() {
        XCTAssertEqual(laneMaximum(SIMD16<Float>((0..<16).map { Float(($0 * 7) % 16) })), 15)
        var v = SIMD16<Float>(repeating: -3)
        v[9] = .nan; v[4] = -1
        XCTAssertEqual(laneMaximum(v), -1)
    }
}
