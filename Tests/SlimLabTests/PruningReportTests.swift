import XCTest
import SlimKernels
@testable import SlimLab

final class PruningReportTests: XCTestCase {
    let a = NamedTensor(name: "fc1.weight", value: Tensor(shape: [2, 3], scalars: [4, -1, 3, 2, -5, 6]))
    let b = NamedTensor(name: "fc2.weight", value: Tensor(shape: [2, 2], scalars: [0.5, -0.25, 7, 0.75]))

    func testGlobalRunReportsEveryStepWithItsNumbers() throws {
        let result = try MagnitudePruning.prune([a, b], sparsity: 0.5, scope: .global, excerptRows: 2, excerptColumns: 2, bins: 5)
        XCTAssertEqual(result.pruned[0].value.scalars, [4, 0, 3, 0, -5, 6])
        XCTAssertEqual(result.pruned[1].value.scalars, [0, 0, 7, 0])
        XCTAssertEqual(result.title, "global magnitude pruning to sparsity 0.5")
        XCTAssertEqual(result.steps.map(\.title), [
            "Measure the weights", "Count the weights to prune, over all chosen layers",
            "Find one threshold for all layers", "Build the masks and apply them",
            "Look at the distribution", "Count what is left",
        ])
        let rendered = result.steps.flatMap(\.formulas).map { $0.rendered() }
        XCTAssertEqual(rendered[0], "‖fc1.weight‖₁ = Σᵢ |wᵢ| = 4 + 1 + 3 + … = 21")
        XCTAssertEqual(rendered[2], "‖fc1.weight‖₂ = √(Σᵢ wᵢ²) = √(16 + 1 + …) = 9.539")
        XCTAssertTrue(rendered.contains("k = ⌊n·S⌋ = ⌊10·0.5⌋ = 5"), "\(rendered)")
        XCTAssertTrue(rendered.contains("τ = |w|₍ₖ₎, the k-th smallest |w| = |w|₍5₎ = 2"), "\(rendered)")

        guard case .excerpt(let before, let after) = result.steps[3].items[2] else { return XCTFail("no excerpt") }
        XCTAssertEqual(before.values, [[4, -1], [2, -5]])
        XCTAssertEqual(after.values, [[4, 0], [0, -5]])
        XCTAssertEqual(after.zeroCount, 2)

        guard case .histogramPair(let name, let hb, let ha, let zeros, let tau) = result.steps[4].items[1] else { return XCTFail("no histogram") }
        XCTAssertEqual(zeros, 2)
        XCTAssertEqual(tau, 2)
        XCTAssertEqual(name, "fc1.weight")
        XCTAssertEqual([hb.lower, hb.upper], [ha.lower, ha.upper])
        XCTAssertEqual(hb.lower, -6)
        XCTAssertEqual(hb.upper, 6)
        // Bins of width 2.4: [−6, −3.6) [−3.6, −1.2) [−1.2, 1.2) [1.2, 3.6) [3.6, 6].
        XCTAssertEqual(hb.counts, [1, 0, 1, 2, 2])
        XCTAssertEqual(ha.counts, [1, 0, 0, 1, 2], "the kept values only")

        guard case .table(let table) = result.steps[5].items[0] else { return XCTFail("no table") }
        XCTAssertEqual(table.columns.map(\.title), ["tensor", "shape", "params", "zeros", "sparsity before", "after",
                                                    "L1 Σ|w|", "L2 √Σw²"])
        XCTAssertEqual(table.rows.map { $0[0] }, ["fc1.weight", "fc2.weight", "all"])
        XCTAssertEqual(table.rows.map { $0[3] }, ["\(count: 2)", "\(count: 3)", "\(count: 5)"], "zeros after")
        XCTAssertEqual(table.rows.map { $0[4] }, ["\(percent: 0)", "\(percent: 0)", "\(percent: 0)"], "sparsity before")
        XCTAssertEqual(table.rows[0][6], "\(fixed: 18)", "the L1 norm of fc1 after pruning")
    }

    func testPerLayerRunNamesEachLayersThreshold() throws {
        let result = try MagnitudePruning.prune([a, b], sparsity: 0.5, scope: .layer)
        let thresholds = result.steps.flatMap(\.formulas).filter { $0.symbol == "τ" }.map { $0.rendered() }
        XCTAssertEqual(thresholds, ["τ = |w|₍ₖ₎, the k-th smallest |w| = |w|₍3₎ = 3",
                                    "τ = |w|₍ₖ₎, the k-th smallest |w| = |w|₍2₎ = 0.5"])
    }

    func testExcerptWindowClampsToTheTensor() {
        let t = Tensor<Float>(shape: [3, 2, 2], scalars: (0..<12).map(Float.init))
        let e = TensorExcerpt(name: "conv1.weight", tensor: t, rowCount: 5, columnCount: 3, firstRow: 1)
        XCTAssertEqual(e.rows, 1..<3)
        XCTAssertEqual(e.columns, 0..<3)
        XCTAssertEqual(e.totalColumns, 4)
        XCTAssertEqual(e.values, [[4, 5, 6], [8, 9, 10]])
        let v = TensorExcerpt(name: "fc1.bias", tensor: Tensor(shape: [3], scalars: [1, 0, 2]))
        XCTAssertEqual(v.values, [[1, 0, 2]])
        XCTAssertEqual(v.zeroCount, 1)
    }
}
