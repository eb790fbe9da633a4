import XCTest
import SlimKernels
@testable import SlimLab

final class PruningSparseStorageTests: XCTestCase {
    let pool = ComputePool(threads: 1)

    func prunedMLP(sparsity: Double) throws -> Model {
        var generator = SeededGenerator(seed: 4)
        let model = try ModelArchitecture.mlp(sizes: [64, 48, 10]).makeModel(generator: &generator)
        return try MagnitudePruning.prune(model: model, sparsity: sparsity, scope: .layer).model
    }

    func input() -> Tensor<Float> {
        var generator = SeededGenerator(seed: 5)
        return Tensor(shape: [9, 64], scalars: (0..<(9 * 64)).map { _ in Float(generator.normal()) })
    }

    func testCSRKernelComputesTheDenseProductBothWays() throws {
        let model = try prunedMLP(sparsity: 0.9)
        let layer = model.layers[0] as! Dense
        let x = input()
        let expected = layer.forward(x, pool: pool).scalars
        for sparse in [true, false] {
            var withKernel = layer
            withKernel.inferenceKernel = CSRDenseKernel(weightName: "fc1.weight", weight: layer.weight,
                                                        mask: layer.parameters[0].mask, runsSparse: sparse)
            let got = withKernel.forward(x, pool: pool).scalars
            for (a, b) in zip(got, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
    }

    func testCSRIsStoredOnlyWhenSmaller() throws {
        let crossover = SparseCrossover()
        let (sparse, decisions) = try SparseStorage.apply(to: try prunedMLP(sparsity: 0.9), crossover: crossover, batch: 8, pool: pool)
        XCTAssertEqual(decisions.map(\.name), ["fc1.weight", "fc2.weight"])
        // fc1: 48×64 = 3072 weights, 307 pruned to 10 %: kept 3072 − 2764 = 308.
        XCTAssertEqual(decisions[0].csrBytes, 308 * 8 + 49 * 4)
        XCTAssertEqual(decisions[0].denseBytes, 3072 * 4)
        XCTAssertTrue(decisions[0].storedAsCSR)
        XCTAssertNotNil(decisions[0].crossoverDensity)
        let stored = sparse.storedTensors.first { $0.name == "fc1.weight" }!
        XCTAssertEqual(stored.dtype, .csrFloat32)
        XCTAssertEqual(stored.byteCount, 308 * 8 + 49 * 4)

        let x = input()
        let a = sparse.logits(x, pool: pool).scalars
        let b = try prunedMLP(sparsity: 0.9).logits(x, pool: pool).scalars
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-4) }

        // At 40 % sparsity CSR (8 bytes per kept weight) is larger than dense (4 per weight).
        let (denser, moreDecisions) = try SparseStorage.apply(to: try prunedMLP(sparsity: 0.4), crossover: crossover, batch: 8, pool: pool)
        XCTAssertEqual(moreDecisions.map(\.storedAsCSR), [false, false])
        XCTAssertNil(moreDecisions[0].crossoverDensity)
        XCTAssertEqual(denser.storedTensors.first { $0.name == "fc1.weight" }!.dtype, .float32)
    }

    func testPruningAgainDerivesTheKernelFromTheNewMask() throws {
        let (sparse, _) = try SparseStorage.apply(to: try prunedMLP(sparsity: 0.9), crossover: SparseCrossover(), batch: 8, pool: pool)
        let again = try MagnitudePruning.prune(model: sparse, sparsity: 0.95, scope: .layer, layers: ["fc1"]).model
        let fc1 = again.layers[0] as! Dense
        let kernel = try XCTUnwrap(fc1.inferenceKernel as? CSRDenseKernel)
        XCTAssertEqual(kernel.matrix, CSRMatrix(dense: fc1.weight, mask: fc1.parameters[0].mask!))
        XCTAssertLessThan(kernel.matrix.values.count, (sparse.layers[0] as! Dense).weight.count / 10)
        XCTAssertNotNil((again.layers[2] as! Dense).inferenceKernel)
    }

    func testCrossoverMeasurementIsCachedAndInRange() {
        let crossover = SparseCrossover()
        let first = crossover.measurement(rows: 32, columns: 32, batch: 4, pool: pool)
        let second = crossover.measurement(rows: 32, columns: 32, batch: 4, pool: pool)
        XCTAssertEqual(first, second)
        XCTAssertGreaterThanOrEqual(first.crossoverDensity, 0)
        XCTAssertLessThanOrEqual(first.crossoverDensity, 1)
        XCTAssertFalse(first.sparseSeconds.isEmpty)
        XCTAssertEqual(first.sparseSeconds.map(\.density), Array(SparseCrossover.densities.prefix(first.sparseSeconds.count)))
    }

    func testBenchmarkCountsBytesHonestly() throws {
        let model = try prunedMLP(sparsity: 0.75)
        let bench = SparseLayerBenchmark.run(model.layers[0] as! Dense, batch: 4, pool: pool)
        XCTAssertEqual(bench.rows.map(\.way), SparseLayerBenchmark.Way.allCases)
        XCTAssertEqual(bench.density, 768.0 / 3072.0)
        XCTAssertEqual(bench.rows.map(\.bytes), [3072 * 4, 2 * 3072 * 4, 768 * 8 + 49 * 4, 12 * 64 * 4])
        XCTAssertEqual(bench.rows[3].shape, [12, 64])
        XCTAssertTrue(bench.rows.allSatisfy { $0.seconds > 0 })
    }
}
