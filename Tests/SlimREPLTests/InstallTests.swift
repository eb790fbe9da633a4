import XCTest
import Foundation

/// The layout `make install PREFIX=…` makes — the binary in `PREFIX/bin`, `Lessons` and
/// `Datasets` in `PREFIX/share/slimlab` — run from `/` as a user would: by its path, through
/// `PATH`, and through a symbolic link elsewhere, with no `SLIMLAB_*` variable set. Every lesson
/// must be listed and a shipped dataset load. (`scripts/check_install.sh`, run by CI, does the
/// same after a real `make install`.)
final class InstallTests: XCTestCase {
    private var prefix: URL!

    override func setUpWithError() throws {
        let binary = try XCTUnwrap(BinaryTests.binary, "slimlab binary not found next to the test bundle")
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        prefix = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-install-\(getpid())")
        try? FileManager.default.removeItem(at: prefix)
        let share = prefix.appendingPathComponent("share/slimlab")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: binary, to: prefix.appendingPathComponent("bin/slimlab"))
        for folder in ["Lessons", "Datasets"] {
            try FileManager.default.copyItem(at: checkout.appendingPathComponent(folder), to: share.appendingPathComponent(folder))
        }
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("links"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: prefix.appendingPathComponent("links/slimlab-link"),
                                                   withDestinationURL: prefix.appendingPathComponent("bin/slimlab"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: prefix)
    }

    /// Runs `arguments` (the first is the program, looked up through PATH) from `/`.
    private func run(_ arguments: [String], path: String = "/usr/bin:/bin") throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        var environment = ProcessInfo.processInfo.environment
        for key in ["SLIMLAB_LESSONS", "SLIMLAB_DATASETS", "SLIMLAB_HOME"] { environment[key] = nil }
        environment["PATH"] = path
        environment["HOME"] = prefix.path
        environment["SLIMLAB_HISTORY"] = prefix.appendingPathComponent("history").path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    func testTheInstalledBinaryFindsItsLessonsAndDatasetsFromAnyFolder() throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let lessons = try FileManager.default.contentsOfDirectory(atPath: checkout.appendingPathComponent("Lessons").path)
            .filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }
        XCTAssertGreaterThanOrEqual(lessons.count, 11)
        let commands = ["-c", "lesson list; data load digits"]
        let ways: [(String, [String], String)] = [
            ("by its path", [prefix.appendingPathComponent("bin/slimlab").path] + commands, "/usr/bin:/bin"),
            ("through PATH", ["slimlab"] + commands, prefix.appendingPathComponent("bin").path + ":/usr/bin:/bin"),
            ("through a link", [prefix.appendingPathComponent("links/slimlab-link").path] + commands, "/usr/bin:/bin"),
        ]
        for (how, arguments, path) in ways {
            let result = try run(arguments, path: path)
            XCTAssertEqual(result.status, 0, "\(how): \(result.output)")
            for lesson in lessons {
                let number = String(lesson.prefix(2))
                XCTAssertTrue(result.output.contains("\n\(number)  "), "\(how): lesson \(number) not listed:\n\(result.output)")
            }
            XCTAssertTrue(result.output.contains("\nloaded digits: 1,797 samples"), "\(how): \(result.output)")
        }
    }

    /// Without the share folder, the error lists every place tried, the install's included.
    func testAMissingShareFolderIsNamedInTheError() throws {
        try FileManager.default.removeItem(at: prefix.appendingPathComponent("share"))
        let result = try run([prefix.appendingPathComponent("bin/slimlab").path, "-c", "lesson list"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("cannot find the Lessons folder"), result.output)
        XCTAssertTrue(result.output.contains(prefix.appendingPathComponent("share/slimlab/Lessons").path), result.output)
    }
}
