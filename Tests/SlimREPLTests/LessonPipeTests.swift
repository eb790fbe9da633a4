import Foundation
import XCTest
@testable import SlimREPL

/// A learner works through lesson 02 with the `slimlab` binary behind a pipe: wrong tries,
/// hints, their own ways of solving the exercises, a skip — and every cell still prints
/// exactly what the lesson recorded.
final class LessonPipeTests: XCTestCase {
    func testLesson02ExercisesSolvedInTheLearnersOwnWordsLeaveEveryCellAsRecorded() throws {
        let binary = try XCTUnwrap(BinaryTests.binary, "slimlab binary not found next to the test bundle")
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-pipe-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let script = [
            "lesson open magnitude", "next", "next", "next", "next", "next",
            // Exercise 1: k for 80 %. A wrong try, a hint, then the number written differently.
            "answer 6554", "hint", "answer 6553.0", "next",
            "next",
            // Exercise 2: a 95 % global model, made the learner's way: from the current model.
            "set precision=2", "model use baseline", "prune magnitude scope=global sparsity=0.95 as=g95 detail=brief", "next",
            "next",
            // Exercise 3: a hint, then skip.
            "hint", "skip",
            "next",
            // Exercise 4: the ratio, to three decimals.
            "answer 2.466", "next",
            "lesson close",
        ].joined(separator: "\n") + "\n"

        let process = Process()
        process.executableURL = binary
        process.arguments = ["--keep-going"]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["SLIMLAB_HOME"] = home.path
        environment["SLIMLAB_LESSONS"] = lessons.path
        environment["SLIMLAB_HISTORY"] = home.appendingPathComponent("history").path
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(script.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)

        for expected in ["✗ not yet: 6554 is not it", "hint 1/2: k = ⌊n·S⌋",
                         "✓ exercise 1 of 4 solved — Enter goes on", "✓ exercise 2 of 4 solved",
                         "hint 1/2: `layers=` limits pruning", "exercise 3 of 4 skipped",
                         "✓ exercise 4 of 4 solved", "lesson finished · 3 of 4", "next: lesson open 3",
                         "slimlab[baseline] exercise 1/4> answer 6554"] {
            XCTAssertTrue(output.contains(expected), "missing '\(expected)' in:\n\(output)")
        }
        let lesson = try LessonLibrary.load(lessons.appendingPathComponent("02-magnitude-pruning.md"))
        for cell in lesson.cells {
            let recorded = try XCTUnwrap(cell.expectedOutput).joined(separator: "\n")
            XCTAssertTrue(output.contains("── cell \(cell.number)/\(lesson.cells.count)\n" + recorded + "\n"),
                          "cell \(cell.number) did not print what the lesson recorded:\n\(output)")
        }
    }
}
