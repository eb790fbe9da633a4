import XCTest
import SlimKernels

/// Adam's update gives the same bits on every kernel path, tails included, and follows its
/// formula on a worked example.
final class AdamTests: XCTestCase {
    func testEveryPathGivesTheSameBits() {
        var g = SeededGenerator(seed: 11)
        for count in [0, 1, 7, 8, 15, 16, 17, 33, 1000] {
            let w0 = randomFloats(count, &g), grad = randomFloats(count, &g, scale: 0.1)
            let m0 = randomFloats(count, &g, scale: 0.01)
            var v0 = randomFloats(count, &g, scale: 0.001).map { $0 * $0 }
            if count > 3 { v0[1] = 0; v0[2] = -0.0 }
            var results: [[UInt32]] = []
            for path in KernelPath.allCases.filter(\.isAvailable) {
                var w = w0, m = m0, v = v0
                w.withUnsafeMutableBufferPointer { wp in
                    m.withUnsafeMutableBufferPointer { mp in
                        v.withUnsafeMutableBufferPointer { vp in
                            adamUpdate(wp.baseAddress!, grad, mp.baseAddress!, vp.baseAddress!, count: count,
                                       decay: 0.003, beta1: 0.9, beta2: 0.999, step: 0.005 / 0.1, correction2: 0.001,
                                       epsilon: 1e-8, path: path)
                        }
                    }
                }
                results.append((w + m + v).map(\.bitPattern))
            }
            for r in results.dropFirst() { XCTAssertEqual(r, results[0], "count \(count)") }
        }
    }

    /// A tensor large enough to be split over the threads: the same bits as in one piece.
    func testSplittingOverThreadsKeepsTheBits() {
        var g = SeededGenerator(seed: 12)
        let count = 300_001
        let w0 = randomFloats(count, &g), grad = randomFloats(count, &g, scale: 0.1)
        let m0 = randomFloats(count, &g, scale: 0.01), v0 = randomFloats(count, &g, scale: 0.01).map { $0 * $0 }
        var results: [[UInt32]] = []
        for pool in [nil, ComputePool(threads: 2), ComputePool(threads: 3)] {
            var w = w0, m = m0, v = v0
            w.withUnsafeMutableBufferPointer { wp in
                m.withUnsafeMutableBufferPointer { mp in
                    v.withUnsafeMutableBufferPointer { vp in
                        adamUpdate(wp.baseAddress!, grad, mp.baseAddress!, vp.baseAddress!, count: count, decay: 0.003,
                                   beta1: 0.9, beta2: 0.999, step: 0.01, correction2: 0.01, epsilon: 1e-8, pool: pool)
                    }
                }
            }
            results.append((w + m + v).map(\.bitPattern))
        }
        XCTAssertEqual(results[1], results[0])
        XCTAssertEqual(results[2], results[0])
        XCTAssertNotEqual(results[0], (w0 + m0 + v0).map(\.bitPattern), "the update should change the tensors")
    }

    func testOneStepFollowsTheFormula() {
        var w: [Float] = [0.5], m: [Float] = [0.1], v: [Float] = [0.04]
        w.withUnsafeMutableBufferPointer { wp in
            m.withUnsafeMutableBufferPointer { mp in
                v.withUnsafeMutableBufferPointer { vp in
                    adamUpdate(wp.baseAddress!, [0.2], mp.baseAddress!, vp.baseAddress!, count: 1, decay: 0.1,
                               beta1: 0.5, beta2: 0.75, step: 0.01, correction2: 0.25, epsilon: 0)
                }
            }
        }
        // g' = 0.2 + 0.1·0.5 = 0.25; m = 0.05 + 0.125 = 0.175; v = 0.03 + 0.015625 = 0.045625
        XCTAssertEqual(m[0], 0.175, accuracy: 1e-7)
        XCTAssertEqual(v[0], 0.045625, accuracy: 1e-7)
        // w = 0.5 − 0.01·0.175 / √(0.045625 / 0.25)
        XCTAssertEqual(w[0], 0.5 - 0.00175 / (0.045625 / 0.25).squareRoot(), accuracy: 1e-7)
    }
}
