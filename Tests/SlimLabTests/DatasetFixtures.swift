import Foundation
import XCTest
@testable import SlimLab

/// Paths of the committed fixture files, and assertions on the errors they cause.
enum DatasetFixtures {
    /// The folder holding the committed fixtures (copied into the test bundle).
    static let folder: String = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures resource folder is missing from the test bundle")
        }
        return url.path
    }()

    /// The path of `datasets/NAME`.
    static func path(_ name: String) -> String { folder + "/datasets/" + name }

    /// The package's root folder (for the shipped Datasets/), found from this source file.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}

/// Asserts that `expression` throws exactly `expected`, and that its message mentions each of
/// `mentions`.
func assertDatasetError<T>(_ expression: @autoclosure () throws -> T, _ expected: DatasetError,
                           mentions: [String] = [], file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try expression()
        XCTFail("expected \(expected), got no error", file: file, line: line)
    } catch let error as DatasetError {
        XCTAssertEqual(error, expected, file: file, line: line)
        for word in mentions {
            XCTAssertTrue(error.description.contains(word), "'\(error)' does not mention '\(word)'", file: file, line: line)
        }
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
