import XCTest
@testable import SlimLab

final class ParetoFrontTests: XCTestCase {
    func testTheFrontKeepsWhatNothingBeatsOnBothCostAndValue() {
        // (cost, value): 2 beats 0, 3 and 4; 1 and 2 trade size for accuracy.
        let costs = [3.0, 1.0, 2.0, 2.0, 4.0]
        let values = [0.90, 0.80, 0.95, 0.90, 0.95]
        XCTAssertEqual(ParetoFront.indices(costs: costs, values: values), [1, 2], "cheapest first")
        XCTAssertEqual(Set(ParetoFront.indices(costs: [1, 1], values: [0.5, 0.5])), [0, 1], "equal candidates both stay")
        XCTAssertEqual(ParetoFront.indices(costs: [1, .nan], values: [0.5, 0.9]), [0], "no cost, no place on the front")
        XCTAssertEqual(ParetoFront.indices(costs: [2, 1], values: [0.9, .infinity]), [0])
        XCTAssertEqual(ParetoFront.indices(costs: [], values: []), [])
    }
}
