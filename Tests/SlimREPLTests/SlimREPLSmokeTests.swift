import XCTest
import SlimLab

final class SlimREPLSmokeTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(slimLabVersion.split(separator: ".").count, 3)
    }
}
