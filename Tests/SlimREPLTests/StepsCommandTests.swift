import XCTest
@testable import SlimLab
@testable import SlimREPL

/// `steps VARIANT [N|N-M]` shows again what a technique showed, numbered as it was; the full
/// run's text is the brief run's steps put back.
final class StepsCommandTests: XCTestCase {
    /// The text of a transcript after its first line (the echoed command).
    private func body(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init)
    }

    func testStepsRepeatTheFullRunAndEachRangeIsItsPart() throws {
        let full = try PruneCommandTests.trainedSession()
        let fullLines = body(full.transcript(of: ["prune magnitude sparsity=0.5 as=p50"]).text)
        let session = try PruneCommandTests.trainedSession()
        XCTAssertFalse(session.transcript(of: ["prune magnitude sparsity=0.5 as=p50 detail=brief"]).failed)

        // Every step, the result and the summary, as the full run printed them; only "made …" is not repeated.
        let again = body(session.transcript(of: ["steps p50"]).text)
        XCTAssertEqual(again.filter { !$0.isEmpty }, Array(fullLines.prefix(again.filter { !$0.isEmpty }.count)))
        XCTAssertTrue(fullLines[again.filter { !$0.isEmpty }.count].hasPrefix("made p50"))
        XCTAssertTrue(again.contains("Step 7/7 · Store the weights"), again.joined(separator: "\n"))

        let part = session.transcript(of: ["steps p50 2-3"])
        XCTAssertFalse(part.failed, part.text)
        let lines = body(part.text).filter { !$0.isEmpty }
        XCTAssertEqual(lines.first, "per-layer magnitude pruning to sparsity 0.5: baseline → p50 (steps 2-3 of 7)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("Step ") }, ["Step 2/7 · Count the weights to prune, layer by layer",
                                                                 "Step 3/7 · Find each layer's threshold"])
        XCTAssertFalse(part.text.contains("accuracy"), "the summary comes with the last step only")
        let start = try XCTUnwrap(fullLines.firstIndex(of: "Step 2/7 · Count the weights to prune, layer by layer"))
        XCTAssertEqual(Array(lines.dropFirst()), Array(fullLines[start..<(start + lines.count - 1)]))
    }

    func testEachTechniqueKeepsItsStepsAndCopiesDoNot() throws {
        let session = try PruneCommandTests.trainedSession()
        for line in ["quantize bits=8 as=q8 detail=brief", "cluster k=4 as=k4 detail=brief", "finetune from=k4 as=k4ft epochs=1",
                     "model copy q8 q8copy"] {
            XCTAssertEqual(session.execute(line), .succeeded, line)
        }
        XCTAssertTrue(session.transcript(of: ["steps q8 1"]).text.contains("Step 1/"))
        XCTAssertTrue(session.transcript(of: ["steps k4"]).text.contains("Step 4/4"))
        XCTAssertTrue(session.transcript(of: ["steps k4ft"]).text.contains("the centroids of"))
        for (line, message) in [("steps q8copy", "q8copy was not made by a technique in this session (copy of q8)"),
                                ("steps baseline", "baseline was not made by a technique"),
                                ("steps q8 9", "step 9 of q8: the technique that made it has 6 steps (1-6)"),
                                ("steps q8 3-2", "STEPS '3-2' is not a step number or a range of them"),
                                ("steps k4ft 1", "the technique that made k4ft has no numbered steps"),
                                ("steps nobody", "nobody")] {
            guard case .failed(let text) = session.execute(line) else { return XCTFail(line) }
            XCTAssertTrue(text.contains(message), "\(line): \(text)")
        }
    }
}
