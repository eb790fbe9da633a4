import Foundation
import XCTest
import SlimLab
@testable import SlimREPL

/// Replays every lesson in `Lessons/` in a fresh script-mode session and fails on any changed
/// output or any exercise whose answer fails its checks (or whose wrong example passes them) —
/// once with the default thread count, and once with one thread and a curious learner's
/// commands typed between all the steps (other settings, `model use`, copies, a reserved name,
/// models of their own), since lesson output must depend on neither. One test per lesson;
/// `testEveryLessonIsReplayed` keeps the list whole.
final class LessonReplayTests: XCTestCase {
    static let lessonsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")

    /// The lessons this file replays, one test method each.
    static let replayed = ["00-tour", "01-baseline", "02-magnitude-pruning", "03-structured-and-schedules",
                           "04-quantization-basics", "05-calibration-and-int8", "06-low-bit-and-qat",
                           "07-distillation", "08-pipeline", "09-deep-compression", "10-choosing"]

    func test00Tour() throws { try assertReplays("00-tour") }
    func test01Baseline() throws { try assertReplays("01-baseline") }
    func test02MagnitudePruning() throws { try assertReplays("02-magnitude-pruning") }
    func test03StructuredAndSchedules() throws { try assertReplays("03-structured-and-schedules") }
    func test04QuantizationBasics() throws { try assertReplays("04-quantization-basics") }
    func test05CalibrationAndInt8() throws { try assertReplays("05-calibration-and-int8") }
    func test06LowBitAndQAT() throws { try assertReplays("06-low-bit-and-qat") }
    func test07Distillation() throws { try assertReplays("07-distillation") }
    func test08Pipeline() throws { try assertReplays("08-pipeline") }
    func test09DeepCompression() throws { try assertReplays("09-deep-compression") }
    func test10Choosing() throws { try assertReplays("10-choosing") }

    func testEveryLessonIsReplayed() {
        let slugs = LessonLibrary(folder: Self.lessonsFolder).slugs()
        XCTAssertFalse(slugs.isEmpty, "no lessons found in \(Self.lessonsFolder.path)")
        XCTAssertEqual(Set(slugs).subtracting(Self.replayed), [],
                       "add a test method and an entry in `replayed` for each new lesson")
    }

    func testAnEditedOutputBlockIsReportedWithItsCellAndLine() throws {
        let source = Self.lessonsFolder.appendingPathComponent("00-tour.md")
        var text = try String(contentsOf: source, encoding: .utf8)
        let recorded = "error: unknown command 'sett' — did you mean 'set'?"
        XCTAssertTrue(text.contains(recorded))
        text = text.replacingOccurrences(of: recorded, with: "error: something else")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("00-tour-edited-\(getpid()).md")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: copy) }

        let replay = try LessonTool.replay(copy, threads: 1)
        XCTAssertEqual(replay.differences.count, 1)
        let difference = try XCTUnwrap(replay.differences.first)
        XCTAssertEqual(difference.cell, 2)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex(of: "error: something else")! + 1
        XCTAssertEqual(difference.hunks.first, "@@ -\(line - 1),5 +1,5 @@")
        XCTAssertTrue(difference.hunks.contains("-error: something else"))
        XCTAssertTrue(difference.hunks.contains("+" + recorded))
        XCTAssertTrue(difference.report.hasPrefix("\(copy.path): cell 2 (line "))

        // Blessing restores the recorded text exactly.
        let blessed = LessonBlesser.blessed(replay.lesson, outputs: replay.outputs)
        XCTAssertEqual(blessed, try String(contentsOf: source, encoding: .utf8))
    }

    func testTheCuriousLearnerTriesAReservedNameAndModelsOfTheirOwn() throws {
        let url = Self.lessonsFolder.appendingPathComponent("02-magnitude-pruning.md")
        let lesson = try LessonLibrary.load(url)
        let session = Session.scripted(workspace: Workspace(threads: 1))
        let player = LessonPlayer(lesson: lesson, file: url, context: session.context)
        session.context.lesson = player
        _ = player.run(lesson.cells[0], in: session.context, live: false)
        player.advance()
        let lines = LessonTool.curiousLearner(at: 1, player: player, context: session.context)
        XCTAssertTrue(lines.contains("model copy baseline learner-1"), "\(lines)")
        let reserved = try XCTUnwrap(lines.first { $0.hasPrefix("model copy baseline ") && !$0.hasSuffix("learner-1") })
        let transcript = session.transcript(of: lines)
        let refused = try XCTUnwrap(transcript.entries.first { $0.line == reserved })
        XCTAssertTrue(refused.error?.contains("is the name cell") ?? false, "\(refused)")
        XCTAssertEqual(transcript.entries.filter { $0.error != nil }.count, 1, transcript.text)
        XCTAssertEqual(Set(session.workspace.variants.names), ["baseline", "learner-1", "learner-p1"])
    }

    private func assertReplays(_ slug: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.lessonsFolder.appendingPathComponent(slug + ".md")
        let replay = try LessonTool.replay(url)
        XCTAssertTrue(replay.differences.isEmpty,
                      "\(slug):\n" + replay.differences.map(\.report).joined(separator: "\n"), file: file, line: line)
        XCTAssertEqual(replay.exerciseProblems, [], file: file, line: line)
        XCTAssertEqual(replay.exercisesVerified, replay.lesson.exercises.count, file: file, line: line)
        // Lessons 00–09 teach one idea each and carry at least two checked exercises; lesson 10
        // (choosing a compression) has none yet.
        if slug < "10" {
            XCTAssertGreaterThanOrEqual(replay.lesson.exercises.count, 2, "\(slug) needs two exercises", file: file, line: line)
        }

        let interleaved = try LessonTool.replay(url, threads: 1, interleaving: true)
        XCTAssertTrue(interleaved.differences.isEmpty,
                      "\(slug) with threads=1 and a learner's commands between the steps:\n"
                      + interleaved.differences.map(\.report).joined(separator: "\n"), file: file, line: line)
    }
}
