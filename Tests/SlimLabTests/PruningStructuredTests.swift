import XCTest
import SlimKernels
@testable import SlimLab

final class PruningStructuredTests: XCTestCase {
    func testRankingRemovesTheWeakestRows() throws {
        let w = NamedTensor(name: "fc1.weight", value: Tensor(shape: [4, 2], scalars: [1, 1, 0.1, 0, 3, 0, 0, -0.5]))
        let ranking = try UnitRanking(weight: w, ratio: 0.5, norm: .l1)
        XCTAssertEqual(ranking.entries.map(\.unit), [1, 3, 0, 2])
        XCTAssertEqual(ranking.entries.map(\.norm), [Double(Float(0.1)), 0.5, 2, 3])
        XCTAssertEqual(ranking.removed, [1, 3])
        XCTAssertEqual(ranking.kept, [0, 2])
        XCTAssertEqual(ranking.entries.map(\.kept), [false, false, true, true])
        XCTAssertEqual(ranking.formulas[0].rendered(), "r = ⌊units·R⌋ = ⌊4·0.5⌋ = 2")
        XCTAssertEqual(ranking.formulas[1].rendered(), "cut = the r-th smallest norm = ‖w_3‖ = 0.5")
    }

    func testL1AndL2CanDisagree() throws {
        // Row 0: L1 4, L2 2. Row 1: L1 3, L2 3.
        let w = NamedTensor(name: "w", value: Tensor(shape: [2, 4], scalars: [1, 1, 1, 1, 3, 0, 0, 0]))
        XCTAssertEqual(try UnitRanking(weight: w, ratio: 0.5, norm: .l1).removed, [1])
        XCTAssertEqual(try UnitRanking(weight: w, ratio: 0.5, norm: .l2).removed, [0])
    }

    func testEqualNormsRemoveTheLowerIndexFirst() throws {
        let w = NamedTensor(name: "w", value: Tensor(shape: [3, 1], scalars: [2, -2, 2]))
        XCTAssertEqual(try UnitRanking(weight: w, ratio: 0.6, norm: .l2).removed, [0])
    }

    func testBadRatioAndRankAreRejected() {
        let w = NamedTensor(name: "fc1.weight", value: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        XCTAssertThrowsError(try UnitRanking(weight: w, ratio: 1, norm: .l1)) { error in
            XCTAssertEqual(error as? PruningError, .ratioOutOfRange(1))
            XCTAssertTrue("\(error)".hasPrefix("ratio=1.0 is out of range"))
        }
        let bias = NamedTensor(name: "fc1.bias", value: Tensor(shape: [2], scalars: [1, 2]))
        XCTAssertThrowsError(try UnitRanking(weight: bias, ratio: 0.5, norm: .l1)) { error in
            XCTAssertEqual(error as? PruningError, .notRankable(layer: "fc1.bias", shape: [2]))
        }
    }

    func testGatheringAlongAnAxis() {
        let w = Tensor<Float>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(w.gathering([0, 2], along: 0), Tensor(shape: [2, 2], scalars: [1, 2, 5, 6]))
        XCTAssertEqual(w.gathering([1], along: 1), Tensor(shape: [3, 1], scalars: [2, 4, 6]))
        XCTAssertEqual(w.gathering([], along: 0).shape, [0, 2])
        let conv = Tensor<Float>(shape: [2, 3, 1, 2], scalars: (0..<12).map(Float.init))
        XCTAssertEqual(conv.gathering([2, 0], along: 1).scalars, [4, 5, 0, 1, 10, 11, 6, 7])
    }
}
