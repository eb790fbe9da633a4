import XCTest
import SlimLab
@testable import SlimREPL
import SlimTestSupport

/// Ctrl-C at a paused step of any technique leaves the session exactly as it was: no new
/// variant, the same current model, the source's weights unchanged.
final class InterruptedTechniqueTests: XCTestCase {
    /// A person who presses Enter `enters` times, then Ctrl-C.
    private final class StoppingReader: LineReader {
        var enters: Int
        private(set) var pauses = 0
        init(enters: Int) { self.enters = enters }
        var isInteractive: Bool { true }
        func readLine(prompt: String) -> String? { nil }
        func waitForEnter(prompt: String) -> Bool {
            pauses += 1
            if enters == 0 { return false }
            enters -= 1
            return true
        }
    }

    private func interactiveSession(enters: Int) throws -> (Session, StoppingReader) {
        var settings = SessionSettings()
        settings.pause = true
        let session = Session(workspace: try TrainedDigits.workspace("mlp 64-64-10", epochs: 10), settings: settings,
                              output: CapturingSink(), isInteractive: true)
        let reader = StoppingReader(enters: enters)
        session.context.reader = reader
        return (session, reader)
    }

    func testCtrlCAtAPausedStepLeavesNoVariant() throws {
        let lines = [
            "prune magnitude sparsity=0.8 as=made",
            "prune structured ratio=0.25 as=made",
            "quantize granularity=channel as=made",
            "quantize format=q4_0 as=made",
            "qat bits=4 epochs=1 as=made",
            "distill teacher=baseline student=\"mlp 64-16-10\" epochs=1 as=made",
            "distill teacher=baseline student=\"mlp 64-16-10\" epochs=1 scratch=off as=made",
            "cluster k=8 as=made",
            "compress deep sparsity=0.8 k=8 epochs=1 qepochs=1 as=made",
        ]
        for line in lines {
            for enters in [0, 1] {
                let (session, reader) = try interactiveSession(enters: enters)
                let weights = try session.workspace.variants.variant(named: "baseline").model.parameter(named: "fc1.weight").value
                XCTAssertEqual(session.execute(line), .failed(CommandStopped().description), "\(line), \(enters) Enter")
                XCTAssertEqual(reader.pauses, enters + 1, line)
                XCTAssertEqual(session.workspace.variants.names, ["baseline"], "\(line), \(enters) Enter")
                XCTAssertEqual(session.workspace.variants.currentName, "baseline", line)
                XCTAssertEqual(try session.workspace.variants.variant(named: "baseline").model.parameter(named: "fc1.weight").value,
                               weights, line)
                XCTAssertNil(session.workspace.lastDistillation, line)
            }
        }
    }
}
