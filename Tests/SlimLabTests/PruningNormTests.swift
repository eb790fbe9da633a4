import XCTest
import SlimKernels
@testable import SlimLab

final class PruningNormTests: XCTestCase {
    func testNormsOfATensor() {
        let t = Tensor<Float>(shape: [2, 2], scalars: [3, -4, 0, 0])
        XCTAssertEqual(WeightNorm.l1.of(t), 7)
        XCTAssertEqual(WeightNorm.l2.of(t), 5)
        XCTAssertEqual(WeightNorm.l1.of(Tensor.zeros([0])), 0)
    }

    func testNormsOfUnitsAreNormsOfRowsAndFilters() {
        let dense = Tensor<Float>(shape: [2, 2], scalars: [3, -4, 1, 0])
        XCTAssertEqual(WeightNorm.l1.ofUnits(dense), [7, 1])
        XCTAssertEqual(WeightNorm.l2.ofUnits(dense), [5, 1])
        // Two filters of 1×2×2: rows 0…3 and 4…7.
        let conv = Tensor<Float>(shape: [2, 1, 2, 2], scalars: [1, 1, 1, 1, 0, 0, 0, -2])
        XCTAssertEqual(WeightNorm.l1.ofUnits(conv), [4, 2])
        XCTAssertEqual(WeightNorm.l2.ofUnits(conv), [2, 2])
    }

    func testLayerSparsityCountsZerosAndNorms() {
        let row = LayerSparsity(name: "fc1.weight", weight: Tensor(shape: [2, 3], scalars: [0, 3, 0, -4, 0, 0]))
        XCTAssertEqual(row.parameters, 6)
        XCTAssertEqual(row.zeros, 4)
        XCTAssertEqual(row.nonZeros, 2)
        XCTAssertEqual(row.sparsity, 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(row.l1, 7)
        XCTAssertEqual(row.l2, 5)
        let other = LayerSparsity(name: "fc2.weight", weight: Tensor(shape: [2], scalars: [12, 0]))
        let total = LayerSparsity.total(of: [row, other])
        XCTAssertEqual(total.parameters, 8)
        XCTAssertEqual(total.zeros, 5)
        XCTAssertEqual(total.l1, 19)
        XCTAssertEqual(total.l2, 13)
    }
}
