import XCTest
import SlimLab
import SlimKernels
@testable import SlimREPL

/// Findings of fuzzing the REPL, each kept as a test: the command gives a clear error (or,
/// for a line of only separators, a note) and the session is unchanged.
final class ReliabilityCommandTests: XCTestCase {
    private func session() -> Session {
        Session.scripted(workspace: Workspace(threads: 1))
    }

    private func output(_ session: Session, _ line: String) -> String {
        session.transcript(of: [line], keepGoing: true).entries.first?.output ?? "(no entry)"
    }

    func testALineOfOnlySeparatorsOrCommentsAnswersWithANote() {
        let session = session()
        for line in [";", ";;", " ; ; ", ";# just a comment", "; # a \"quoted; comment"] {
            XCTAssertEqual(session.execute(line), .succeeded, line)
            XCTAssertEqual(output(session, line), "nothing to run: the line holds only ';' separators and comments\n", line)
        }
        XCTAssertEqual(session.transcript(of: ["", "# comment"]).text, "", "blank lines and comments stay silent")
    }

    func testModelDataMismatchIsOneClearErrorForQuantizeAndQAT() {
        let session = session()
        for line in ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris"] {
            XCTAssertEqual(session.execute(line), .succeeded, line)
        }
        let variants = session.workspace.variants.names
        for line in ["quantize", "quantize weights-only=yes", "qat bits=4 epochs=1"] {
            guard case .failed(let message) = session.execute(line) else { return XCTFail(line) }
            XCTAssertTrue(message.hasPrefix("'mlp' does not fit the loaded data: the model takes 64 features per sample"), message)
            XCTAssertTrue(message.contains("'iris' has 4"), message)
        }
        XCTAssertEqual(session.workspace.variants.names, variants)
    }

    /// Every command that runs a model on the loaded data says so clearly when a dataset of
    /// another width was loaded after the model (fuzzing found `plot calibration` trapping in
    /// `Model.batched`); nothing is made.
    func testEveryCommandRefusesAModelThatNoLongerFitsTheData() {
        let session = session()
        for line in ["data load digits", "model new mlp 64-16-10", "train epochs=1", "quantize as=int8", "data load iris"] {
            XCTAssertEqual(session.execute(line), .succeeded, line)
        }
        let variants = session.workspace.variants.names
        for line in ["plot calibration", "plot calibration int8", "plot activations relu1.out", "plot bits", "plot sensitivity",
                     "plot compare", "search budget=edge", "diagnose mlp int8", "cluster k=4", "compress deep",
                     "model export mlp m.onnx reference=ref.csv", "eval", "predict 0", "trace 0", "compare",
                     "prune sensitivity", "prune magnitude sparsity=0.5", "quantize", "qat epochs=1", "finetune epochs=1",
                     "distill teacher=mlp student=\"mlp 4-3\" epochs=1", "train epochs=1"] {
            guard case .failed(let message) = session.execute(line) else { return XCTFail("\(line) did not fail") }
            XCTAssertTrue(message.contains("64") && message.contains("4"), "\(line): \(message)")
        }
        XCTAssertEqual(session.workspace.variants.names, variants)
    }

    func testHugeModelIsRefusedAtOnceAndMaxMemoryRaisesTheLimit() {
        let session = session()
        guard case .failed(let message) = session.execute("model new mlp 64-100000000-10") else { return XCTFail() }
        XCTAssertTrue(message.contains("would need 302 GiB of memory"), message)
        XCTAssertEqual(output(session, "set max-memory=1G"), "max-memory: 4GiB → 1GiB\n")
        guard case .failed(let smaller) = session.execute("model new mlp 64-1000000-10") else { return XCTFail() }
        XCTAssertTrue(smaller.contains("the limit is 1 GiB"), smaller)
        XCTAssertEqual(session.execute("set max-memory=4G"), .succeeded)
        XCTAssertEqual(session.execute("model new mlp 64-1000000-10"), .succeeded)
        guard case .failed(let bad) = session.execute("set max-memory=lots") else { return XCTFail() }
        XCTAssertTrue(bad.contains("max-memory"), bad)
    }

    /// Every command that trains checks its planned work before it prints or trains anything;
    /// `set max-work=` raises (or here lowers) the limit.
    func testTrainingBeyondTheWorkLimitIsRefusedBeforeItStarts() {
        let session = session()
        for line in ["data load digits", "model new mlp 64-16-10", "train epochs=1"] {
            XCTAssertEqual(session.execute(line), .succeeded, line)
        }
        XCTAssertEqual(output(session, "set max-work=1M"), "max-work: 10T → 1M\n")
        let variants = session.workspace.variants.names
        for line in ["train epochs=5", "finetune epochs=2", "qat epochs=1", "distill teacher=mlp student=\"mlp 64-10\" epochs=1",
                     "prune magnitude sparsity=0.5 schedule=iterative steps=2 epochs=1", "compress deep", "search budget=edge"] {
            let text = output(session, line)
            XCTAssertTrue(text.hasPrefix("error: "), "\(line): \(text)")
            XCTAssertTrue(text.contains("multiply-adds") && text.contains("the limit for one command is 10⁶"), text)
            XCTAssertTrue(text.contains("set max-work="), text)
        }
        XCTAssertEqual(session.workspace.variants.names, variants)
        XCTAssertEqual(try session.workspace.variants.variant(named: "mlp").model.completedEpochs, 1)
        XCTAssertEqual(session.execute("set max-work=10T"), .succeeded)
        XCTAssertEqual(session.execute("train epochs=1"), .succeeded)
        guard case .failed(let bad) = session.execute("set max-work=lots") else { return XCTFail() }
        XCTAssertTrue(bad.contains("a whole number of multiply-adds with an optional unit K, M, G, T or P"), bad)
        XCTAssertEqual(WorkAmount(argument: "100T")?.multiplyAdds, 100_000_000_000_000)
        XCTAssertEqual(WorkAmount(multiplyAdds: 2_500_000_000).argumentText, "2500M")
        XCTAssertNil(WorkAmount(argument: "99999999999P"))
        XCTAssertNil(WorkAmount(argument: "0"))
    }

    func testCalibrationSamplesBeyondTheLimitAreRefusedNotClamped() {
        let session = session()
        for line in ["data load digits", "model new mlp 64-16-10"] { session.execute(line) }
        guard case .failed(let message) = session.execute("quantize samples=1000000000000") else { return XCTFail() }
        XCTAssertTrue(message.contains("at most 1000000 rows"), message)
    }

    func testErrorsNeverEchoAHugeLineOrRawControlBytes() {
        let session = session()
        let huge = "model new mlp " + String(repeating: "7", count: 1_000_000)
        guard case .failed(let message) = session.execute(huge) else { return XCTFail() }
        XCTAssertLessThan(message.count, 1000)
        guard case .failed(let junk) = session.execute("\u{1B}[31mred\u{7}") else { return XCTFail() }
        XCTAssertFalse(junk.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, junk)
        XCTAssertTrue(junk.contains("\\u{1B}[31mred"), junk)
    }

    func testSpecialFilesAreRefusedByName() {
        let session = session()
        for (line, expected) in [("data load /dev/zero", "character device"), ("model load /dev/urandom", "character device"),
                                 ("data load /", "folder"), ("model load /tmp", "folder")] {
            guard case .failed(let message) = session.execute(line) else { return XCTFail(line) }
            XCTAssertTrue(message.contains(expected), message)
        }
        XCTAssertNil(session.workspace.data)
    }
}
