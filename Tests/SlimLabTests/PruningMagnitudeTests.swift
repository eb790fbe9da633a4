import XCTest
import SlimKernels
@testable import SlimLab

final class PruningMagnitudeTests: XCTestCase {
    // Magnitudes 4 1 3 2 5 6 and 0.5 0.25 7 0.75.
    let a = NamedTensor(name: "fc1.weight", value: Tensor(shape: [2, 3], scalars: [4, -1, 3, 2, -5, 6]))
    let b = NamedTensor(name: "fc2.weight", value: Tensor(shape: [2, 2], scalars: [0.5, -0.25, 7, 0.75]))

    func testPerLayerThresholdsPruneEachLayerToTheTarget() throws {
        let result = try MagnitudePruning.masks(for: [a, b], sparsity: 0.5, scope: .layer)
        XCTAssertEqual(result.thresholds.count, 2)
        XCTAssertEqual(result.thresholds[0].count, 6)
        XCTAssertEqual(result.thresholds[0].pruneCount, 3)
        XCTAssertEqual(result.thresholds[0].threshold, 3)
        XCTAssertEqual(result.thresholds[1].pruneCount, 2)
        XCTAssertEqual(result.thresholds[1].threshold, 0.5)
        XCTAssertEqual(result.masks[0].value.scalars, [1, 0, 0, 0, 1, 1])
        XCTAssertEqual(result.masks[1].value.scalars, [0, 0, 1, 1])
        XCTAssertEqual(result.masks.map(\.name), ["fc1.weight", "fc2.weight"])
    }

    func testGlobalThresholdLetsLayersCompete() throws {
        let result = try MagnitudePruning.masks(for: [a, b], sparsity: 0.5, scope: .global)
        XCTAssertEqual(result.thresholds.count, 1)
        let t = result.thresholds[0]
        XCTAssertEqual(t.layers, ["fc1.weight", "fc2.weight"])
        XCTAssertEqual(t.count, 10)
        XCTAssertEqual(t.pruneCount, 5)
        // Sorted magnitudes: 0.25 0.5 0.75 1 2 | 3 4 5 6 7.
        XCTAssertEqual(t.threshold, 2)
        XCTAssertEqual(result.masks[0].value.scalars, [1, 0, 1, 0, 1, 1])
        XCTAssertEqual(result.masks[1].value.scalars, [0, 0, 1, 0])
        XCTAssertEqual(t.countFormula.rendered(), "n = Σ_l n_l = 6 + 4 = 10")
        XCTAssertEqual(t.pruneCountFormula.rendered(), "k = ⌊n·S⌋ = ⌊10·0.5⌋ = 5")
        XCTAssertEqual(t.thresholdFormula?.rendered(), "τ = |w|₍ₖ₎, the k-th smallest |w| = |w|₍5₎ = 2")
        let perLayer = try MagnitudePruning.masks(for: [a], sparsity: 0.5, scope: .layer)
        XCTAssertEqual(perLayer.thresholds[0].countFormula.rendered(), "n = out·in = 2·3 = 6")
    }

    func testTiesArePrunedInIndexOrderToExactlyK() throws {
        let w = NamedTensor(name: "w", value: Tensor(shape: [5], scalars: [1, -1, 1, 1, 2]))
        let result = try MagnitudePruning.masks(for: [w], sparsity: 0.5, scope: .layer)
        let t = result.thresholds[0]
        XCTAssertEqual(t.pruneCount, 2)
        XCTAssertEqual(t.threshold, 1)
        XCTAssertEqual(t.belowThreshold, 0)
        XCTAssertEqual(t.tiesPruned, 2)
        XCTAssertEqual(t.tiesKept, 2)
        XCTAssertEqual(result.masks[0].value.scalars, [0, 0, 1, 1, 1])
    }

    func testGlobalTiesFollowLayerOrder() throws {
        let first = NamedTensor(name: "x", value: Tensor(shape: [2], scalars: [3, 3]))
        let second = NamedTensor(name: "y", value: Tensor(shape: [2], scalars: [3, 9]))
        let result = try MagnitudePruning.masks(for: [first, second], sparsity: 0.75, scope: .global)
        XCTAssertEqual(result.masks[0].value.scalars, [0, 0])
        XCTAssertEqual(result.masks[1].value.scalars, [0, 1])
        let reversed = try MagnitudePruning.masks(for: [second, first], sparsity: 0.5, scope: .global)
        XCTAssertEqual(reversed.masks[0].value.scalars, [0, 1])
        XCTAssertEqual(reversed.masks[1].value.scalars, [0, 1])
    }

    func testZeroSparsityKeepsEverything() throws {
        let result = try MagnitudePruning.masks(for: [a], sparsity: 0, scope: .layer)
        XCTAssertNil(result.thresholds[0].threshold)
        XCTAssertNil(result.thresholds[0].thresholdFormula)
        XCTAssertEqual(result.thresholds[0].pruneCount, 0)
        XCTAssertEqual(result.masks[0].value.scalars, [1, 1, 1, 1, 1, 1])
    }

    func testExistingZerosArePrunedFirst() throws {
        let w = NamedTensor(name: "w", value: Tensor(shape: [6], scalars: [0, 5, 0, -4, 0.1, 3]))
        let result = try MagnitudePruning.masks(for: [w], sparsity: 0.5, scope: .layer)
        XCTAssertEqual(result.masks[0].value.scalars, [0, 1, 0, 1, 0, 1])
        let pruned = MagnitudePruning.apply(result.masks[0].value, to: w.value)
        XCTAssertEqual(pruned.scalars, [0, 5, 0, -4, 0, 3])
    }

    func testPruneCountIsTheFloorOfNTimesS() {
        XCTAssertEqual(MagnitudePruning.pruneCount(parameters: 4736, sparsity: 0.8), 3788)
        XCTAssertEqual(MagnitudePruning.pruneCount(parameters: 100, sparsity: 0.29), 29)
        XCTAssertEqual(MagnitudePruning.pruneCount(parameters: 10, sparsity: 0.3), 3)
        XCTAssertEqual(MagnitudePruning.pruneCount(parameters: 7, sparsity: 0.5), 3)
        XCTAssertEqual(MagnitudePruning.pruneCount(parameters: 0, sparsity: 0.5), 0)
        XCTAssertEqual(MagnitudePruning.pruneCount(parameters: 3, sparsity: 0.999), 2)
    }

    func testRandomTensorsReachExactSparsityAndKeepTheLargest() throws {
        var rng = SeededGenerator(seed: 7)
        for n in [1, 2, 17, 100, 1031] {
            // Rounded values make many ties.
            let values = (0..<n).map { _ in (Float(rng.normal()) * 4).rounded() / 4 }
            let w = NamedTensor(name: "w", value: Tensor(shape: [n], scalars: values))
            for s in [0.0, 0.1, 0.5, 0.9, 0.99] {
                let result = try MagnitudePruning.masks(for: [w], sparsity: s, scope: .layer)
                let mask = result.masks[0].value.scalars
                let k = MagnitudePruning.pruneCount(parameters: n, sparsity: s)
                XCTAssertEqual(mask.filter { $0 == 0 }.count, k, "n=\(n) s=\(s)")
                let kept = zip(values, mask).filter { $0.1 == 1 }.map { abs($0.0) }
                let dropped = zip(values, mask).filter { $0.1 == 0 }.map { abs($0.0) }
                if let lowKept = kept.min(), let highDropped = dropped.max() {
                    XCTAssertLessThanOrEqual(highDropped, lowKept)
                }
                if k > 0 {
                    XCTAssertEqual(result.thresholds[0].threshold, values.map(abs).sorted()[k - 1])
                }
            }
        }
    }

    func testBadSparsityIsRejectedWithItsValue() {
        for s in [1.0, -0.1, 1.5, Double.nan] {
            XCTAssertThrowsError(try MagnitudePruning.masks(for: [a], sparsity: s, scope: .global)) { error in
                guard case PruningError.sparsityOutOfRange = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("[0, 1)"), "\(error)")
            }
        }
        XCTAssertEqual("\(PruningError.sparsityOutOfRange(1.0))",
                       "sparsity=1.0 is out of range: use a fraction in [0, 1), e.g. sparsity=0.8 to remove 80 % of the weights")
    }

    func testNonFiniteWeightsAreRejected() {
        let w = NamedTensor(name: "fc1.weight", value: Tensor(shape: [2], scalars: [1, .nan]))
        XCTAssertThrowsError(try MagnitudePruning.masks(for: [w], sparsity: 0.5, scope: .layer)) { error in
            XCTAssertEqual(error as? PruningError, .nonFiniteWeight(layer: "fc1.weight"))
        }
    }

    func testLayerSelectionByNameKeepsModelOrder() throws {
        let chosen = try LayerSelection.select(["fc2", "fc1.weight"], from: [a, b])
        XCTAssertEqual(chosen.map(\.name), ["fc1.weight", "fc2.weight"])
        XCTAssertEqual(try LayerSelection.select(nil, from: [a, b]).count, 2)
        XCTAssertThrowsError(try LayerSelection.select(["fc3"], from: [a, b])) { error in
            XCTAssertEqual("\(error)", "unknown layer 'fc3': prunable layers are fc1, fc2")
        }
        XCTAssertThrowsError(try LayerSelection.select(["fc1", "fc1"], from: [a, b])) { error in
            XCTAssertEqual(error as? PruningError, .duplicateLayer("fc1"))
        }
        XCTAssertThrowsError(try MagnitudePruning.masks(for: [], sparsity: 0.5, scope: .layer)) { error in
            XCTAssertEqual(error as? PruningError, .noLayers)
        }
    }
}
