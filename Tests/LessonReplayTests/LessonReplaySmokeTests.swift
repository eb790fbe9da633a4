import XCTest
import SlimLab

final class LessonReplaySmokeTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(slimLabVersion.split(separator: ".").count, 3)
    }
}
