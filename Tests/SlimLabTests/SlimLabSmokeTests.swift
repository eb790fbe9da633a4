import XCTest
import SlimLab

final class SlimLabSmokeTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(slimLabVersion.split(separator: ".").count, 3)
    }
}
