import XCTest
import SlimLab
@testable import SlimREPL
import SlimTestSupport

/// Technique output on a terminal with `set pause=on`: a screenful never passes without a
/// pause, inside a long step too; `q` at a "more" prompt leaves out the rest of the output
/// and the remaining pauses; Ctrl-C at a "more" prompt stops the command like Ctrl-C at a step.
final class TechniquePagingTests: XCTestCase {
    /// A person at a terminal: Enter everywhere, except `answer` at the `stopAt`-th "more" prompt.
    private final class Person: LineReader {
        enum Answer { case enter, quit, interrupt }
        let sink: CapturingSink
        let stop: StopSignal
        let stopAt: Int?
        let answer: Answer
        /// Each prompt, with the lines written since the prompt before it.
        private(set) var prompts: [(prompt: String, linesBefore: Int)] = []
        private var written = 0

        init(sink: CapturingSink, stop: StopSignal, stopAt: Int? = nil, answer: Answer = .enter) {
            self.sink = sink
            self.stop = stop
            self.stopAt = stopAt
            self.answer = answer
        }

        var isInteractive: Bool { true }
        func readLine(prompt: String) -> String? { nil }

        func waitForEnter(prompt: String) -> Bool {
            // Lines since the last prompt, without the escape that removes the "more" prompt's line.
            let text = sink.text.replacingOccurrences(of: "\u{1B}[1A\u{1B}[2K", with: "")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            prompts.append((prompt, lines - written))
            written = lines
            let mores = prompts.filter { $0.prompt.contains("more") }.count
            guard prompt.contains("more"), mores == stopAt else { return true }
            if answer == .interrupt { stop.request() }
            return answer == .enter
        }
    }

    private func session(rows: Int, stopAt: Int? = nil, answer: Person.Answer = .enter) throws -> (Session, Person, CapturingSink) {
        var settings = SessionSettings()
        settings.pause = true
        let sink = CapturingSink(isTerminal: true, width: 100, height: rows)
        let workspace = try TrainedDigits.workspace("mlp 64-64-10", epochs: 5)
        let session = Session(workspace: workspace, settings: settings, output: sink, isInteractive: true)
        let person = Person(sink: sink, stop: workspace.stop, stopAt: stopAt, answer: answer)
        session.context.reader = person
        return (session, person, sink)
    }

    func testPauseWaitsBeforeEveryScreenfulInsideLongStepsToo() throws {
        let (session, person, sink) = try session(rows: 12)
        XCTAssertEqual(session.execute("prune magnitude sparsity=0.5 as=p50"), .succeeded)
        let mores = person.prompts.filter { $0.prompt.contains("more") }
        let steps = person.prompts.filter { $0.prompt.contains("step") }
        XCTAssertEqual(steps.count, 6, "a pause before each of steps 2…7")
        XCTAssertGreaterThan(mores.count, 0)
        // Step 5 (two histograms side by side, two tensors) is taller than the screen of 12 rows:
        // at least one "more" prompt comes between the pauses before steps 5 and 6.
        let order = person.prompts.map(\.prompt)
        let before5 = try XCTUnwrap(order.firstIndex { $0.contains("step 5/7") })
        let before6 = try XCTUnwrap(order.firstIndex { $0.contains("step 6/7") })
        XCTAssertTrue(order[before5..<before6].contains { $0.contains("more") }, "\(order)")
        XCTAssertTrue(person.prompts.allSatisfy { $0.linesBefore <= 11 }, "\(person.prompts.map(\.linesBefore))")
        // Nothing was left out.
        XCTAssertTrue(sink.text.contains("made p50 from baseline"), sink.text)
        XCTAssertNotNil(try? session.workspace.variants.variant(named: "p50"))
    }

    func testQAtAMorePromptLeavesOutTheRestButMakesTheVariant() throws {
        let (session, person, sink) = try session(rows: 12, stopAt: 1, answer: .quit)
        XCTAssertEqual(session.execute("prune magnitude sparsity=0.5 as=p50"), .succeeded)
        let first = try XCTUnwrap(person.prompts.firstIndex { $0.prompt.contains("more") })
        XCTAssertEqual(person.prompts.count, first + 1, "no pause after q: \(person.prompts.map(\.prompt))")
        XCTAssertFalse(sink.text.contains("made p50"), sink.text)
        XCTAssertNotNil(try? session.workspace.variants.variant(named: "p50"))
    }

    func testCtrlCAtAMorePromptLeavesTheSessionAsItWas() throws {
        for stopAt in [1, 2] {
            let (session, person, _) = try session(rows: 8, stopAt: stopAt, answer: .interrupt)
            XCTAssertEqual(session.execute("quantize granularity=channel as=int8"), .failed(CommandStopped().description))
            XCTAssertEqual(person.prompts.filter { $0.prompt.contains("more") }.count, stopAt)
            XCTAssertEqual(session.workspace.variants.names, ["baseline"])
        }
    }
}
