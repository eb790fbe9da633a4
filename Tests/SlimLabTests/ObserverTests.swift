import XCTest
import Foundation
import SlimKernels
@testable import SlimLab

/// Each calibration observer on distributions whose answer is known.
final class ObserverTests: XCTestCase {
    private func observe(_ settings: CalibrationSettings, _ batches: [[Float]]) throws -> CalibrationResult {
        var observer = makeObserver(settings)
        for batch in batches { batch.withUnsafeBufferPointer { observer.observe($0) } }
        return try observer.result()
    }

    /// Laplace(0, 1) samples: |x| is exponential, P(|x| > t) = e^(−t).
    private func laplace(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let u = generator.nextUnitDouble() - 0.5
            return Float(-(u < 0 ? -1.0 : 1.0) * log(1 - 2 * abs(u)))
        }
    }

    func testMinMaxCoversEverything() throws {
        let r = try observe(CalibrationSettings(method: .minmax), [[1, -2, 3], [0.5, 4]])
        XCTAssertEqual(r.min, -2)
        XCTAssertEqual(r.max, 4)
        XCTAssertEqual(r.observedCount, 5)
        XCTAssertEqual(r.clippedFraction, 0)
        XCTAssertThrowsError(try makeObserver(CalibrationSettings(method: .minmax)).result()) { error in
            XCTAssertEqual(error as? QuantizationError, .nothingObserved("minmax"))
        }
    }

    func testMovingAverageMovesOnePercentPerBatch() throws {
        // First batch sets [-1, 1]; then min = -1 + 0.01·(-2 + 1) = -1.01, max = 1 + 0.01·(3 - 1) = 1.02.
        let r = try observe(CalibrationSettings(method: .movingavg), [[-1, 0, 1], [-2, 3]])
        XCTAssertEqual(r.min, -1.01, accuracy: 1e-6)
        XCTAssertEqual(r.max, 1.02, accuracy: 1e-6)
        XCTAssertEqual(r.observedMax, 3)
        XCTAssertEqual(r.formula.substituted(), "c = 0.01 over 2 batches: [-1.01, 1.02]")
        // A third batch equal to the range leaves it unchanged.
        let steady = try observe(CalibrationSettings(method: .movingavg, movingAverageConstant: 0.5), [[0, 4], [0, 2]])
        XCTAssertEqual(steady.max, 3)
    }

    func testPercentileIgnoresARareOutlier() throws {
        // 9999 values spread over (0, 1] and one at 100: the first batch fixes w = 100/2048.
        var values = (1...9999).map { Float($0) / 9999 }
        values.append(100)
        let r = try observe(CalibrationSettings(method: .percentile), [values])
        let w: Float = 100 / 2048
        XCTAssertEqual(r.threshold!, 21 * w, accuracy: 1e-5)   // 1 lies in bin 20
        XCTAssertEqual(r.max, 21 * w, accuracy: 1e-5)
        XCTAssertEqual(r.min, 1 / 9999)                         // the observed minimum stays
        XCTAssertEqual(r.clippedFraction, 1e-4, accuracy: 1e-12)
        XCTAssertThrowsError(try CalibrationSettings(method: .percentile, percentile: 0).validated())
    }

    func testHistogramGrowsWithoutMovingCounts() {
        var h = AbsoluteValueHistogram(initialBins: 4)
        [Float](arrayLiteral: 0, 0).withUnsafeBufferPointer { h.add($0) }       // zeros before any width
        [Float](arrayLiteral: -1, 0.3).withUnsafeBufferPointer { h.add($0) }    // w = 0.25
        [Float](arrayLiteral: 1.6).withUnsafeBufferPointer { h.add($0) }        // grows to 7 bins
        XCTAssertEqual(h.binWidth, 0.25)
        XCTAssertEqual(h.counts, [2, 1, 0, 1, 0, 0, 1])   // 1.0 sat on the top edge: last bin
        XCTAssertEqual(h.total, 5)
        XCTAssertEqual(h.minimum, -1)
        XCTAssertFalse(h.isNonNegative)
        XCTAssertEqual(h.fractionAbove(1.25), 0.2)
    }

    func testMSEKeepsTheWholeRangeOfUniformData() throws {
        // Clipping uniform data only adds error: the best threshold is the top.
        let values = (0..<20000).map { Float($0) / 19999 }
        let r = try observe(CalibrationSettings(method: .mse), [values])
        XCTAssertGreaterThan(r.threshold!, 0.99)
        XCTAssertEqual(r.searchCurve.count, 2048 - 128 + 1)
        XCTAssertEqual(r.searchCurve.first?.threshold ?? 0, 128 / 2048, accuracy: 1e-6)
    }

    func testMSEClipsLaplaceNearTheAnalyticOptimum() throws {
        // For Laplace(b = 1) and 8 bits the MSE-optimal clip is ≈ 9.89·b (Banner et al., ACIQ);
        // the sample maximum of 200 000 draws is ≈ ln(200 000) ≈ 12.2.
        let values = laplace(200_000, seed: 11)
        let r = try observe(CalibrationSettings(method: .mse), [values])
        let t = r.threshold!
        XCTAssertLessThan(t, r.observedMax)
        XCTAssertEqual(Double(t), 9.89, accuracy: 1.2)
        XCTAssertEqual(Double(r.min), -Double(t), accuracy: 1e-6)
        // The curve is the cost of each candidate; the chosen one is its minimum.
        let best = r.searchCurve.min { $0.cost < $1.cost }!
        XCTAssertEqual(best.threshold, t)
        // Fewer bits, tighter clip (ACIQ: ≈ 5.03·b at 4 bits).
        let four = try observe(CalibrationSettings(method: .mse, bits: 4), [values])
        XCTAssertEqual(Double(four.threshold!), 5.03, accuracy: 0.8)
    }

    func testEntropyClipsTheTailOfLaplaceButKeepsTheBody() throws {
        let values = laplace(200_000, seed: 12)
        let r = try observe(CalibrationSettings(method: .entropy), [values])
        let t = r.threshold!
        // Beyond the 99th percentile of |x| (ln 100 ≈ 4.6), below the sample maximum.
        XCTAssertGreaterThan(t, 4.6)
        XCTAssertLessThan(t, r.observedMax)
        XCTAssertFalse(r.searchCurve.isEmpty)
        XCTAssertGreaterThan(r.clippedFraction, 0)
    }

    func testEntropyKeepsEverythingWhenNothingIsRare() throws {
        // Values spread evenly over the bins: cutting any of them costs information.
        let values = (0..<40960).map { Float($0 % 2048) / 2048 + 0.0001 }
        let r = try observe(CalibrationSettings(method: .entropy), [values])
        XCTAssertGreaterThan(r.threshold!, 0.99 * r.observedMax)
    }

    func testKLDivergenceByHand() {
        // p = [1/2, 1/2], q = [1/4, 3/4]: ½·ln 2 + ½·ln(2/3) = ½·ln(4/3).
        XCTAssertEqual(ClippingSearch.klDivergence([1, 1], [1, 3]), 0.5 * log(4.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(ClippingSearch.klDivergence([1, 1], [1, 0]), .infinity)
        XCTAssertEqual(ClippingSearch.klDivergence([2, 0], [1, 5]), log(6.0), accuracy: 1e-12)
        // Smoothing: two zeros get ε each, the two non-zeros give up ε each.
        XCTAssertEqual(ClippingSearch.smoothed([0, 3, 0, 5], epsilon: 0.5), [0.5, 2.5, 0.5, 4.5])
        XCTAssertEqual(ClippingSearch.smoothed([0, 0.1], epsilon: 0.5), [0, 0.1])
    }

    func testGridLevels() {
        XCTAssertEqual(ClippingSearch.levels(bits: 8, nonNegative: false), 127)
        XCTAssertEqual(ClippingSearch.levels(bits: 8, nonNegative: true), 255)
        XCTAssertEqual(ClippingSearch.levels(bits: 4, nonNegative: true), 15)
    }

    func testAllZeroActivations() throws {
        for method in CalibrationMethod.allCases {
            let r = try observe(CalibrationSettings(method: method), [[0, 0, 0]])
            XCTAssertEqual(r.min, 0, "\(method)")
            XCTAssertEqual(r.max, 0, "\(method)")
        }
    }
}
