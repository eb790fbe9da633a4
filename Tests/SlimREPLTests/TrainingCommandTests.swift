import XCTest
import Foundation
import SlimLab
@testable import SlimREPL

/// The data, training, inspection and comparison commands, run as scripts on the shipped digits.
final class TrainingCommandTests: XCTestCase {
    func session(threads: Int = 1) -> Session {
        Session.scripted(workspace: Workspace(threads: threads), registry: .standard)
    }

    func testTrainingTranscriptIsIdenticalForAnyThreadCountAndRun() {
        let script = ["data load digits", "model new mlp 64-32-10 name=baseline", "train epochs=3",
                      "eval", "predict 3", "trace 3", "show relu1.out", "formula softmax", "formula adam", "compare"]
        let one = session(threads: 1).transcript(of: script)
        let two = session(threads: 2).transcript(of: script)
        let again = session(threads: 1).transcript(of: script)
        XCTAssertFalse(one.failed, one.text)
        XCTAssertEqual(one.text, two.text)
        XCTAssertEqual(one.text, again.text)
    }

    func testTrainPrintsOneLinePerEpochAndASummary() throws {
        let session = session()
        let transcript = session.transcript(of: ["data load digits", "model new mlp 64-32-10 name=b", "train epochs=3 lr=0.01"])
        let lines = transcript.entries[2].output.split(separator: "\n").map(String.init)
        // The settings line wraps at 100 columns, its continuation indented.
        XCTAssertEqual(lines.count, 2 + 3 + 2, transcript.text)
        XCTAssertEqual(lines[0], "training b (mlp 64-32-10) on digits: 1,347 train / 450 test · adam lr=0.01 batch=32 wd=0.003")
        XCTAssertEqual(lines[1], "  schedule=cosine · 3 epochs")
        for (index, line) in lines[2...4].enumerated() {
            XCTAssertTrue(line.hasPrefix("epoch \(index + 1)/3  loss "), line)
            XCTAssertTrue(line.contains("  train ") && line.contains("  test "), line)
        }
        XCTAssertTrue(lines[5].hasPrefix("loss "), lines[5])
        let report = try XCTUnwrap(session.workspace.variants.variant(named: "b").trainingRuns.last)
        XCTAssertEqual(lines[6], "b: test accuracy \(NumberFormatting.percent(report.finalTestAccuracy!)) after 3 epochs")
        XCTAssertGreaterThan(report.finalTestAccuracy!, 0.85)
    }

    func testCommandsNeedDataAndAModel() throws {
        let session = session()
        XCTAssertEqual(session.execute("train"), .failed(VariantError.noVariants.description))
        session.execute("model new mlp 64-10")
        XCTAssertEqual(session.execute("train"), .failed("no data loaded yet: train needs a dataset; load one with 'data load digits'"))
        XCTAssertEqual(session.execute("eval"), .failed("no data loaded yet: eval needs a dataset; load one with 'data load digits'"))
        session.execute("data load iris")
        XCTAssertEqual(session.execute("train"),
                       .failed("the model takes 64 features per sample (mlp 64-10), but the data 'iris' has 4"))
        XCTAssertEqual(session.execute("train lr=0"), .failed("lr=0 is out of range (allowed: 1e-12…10)"))
        session.execute("data load digits")
        XCTAssertEqual(session.execute("predict 450"), .failed("sample 450 does not exist: 'digits' has samples 0 to 449"))
        XCTAssertEqual(try session.workspace.variants.variant(named: "mlp").trainingRuns.count, 0)
    }

    func testCompareOmitsTimingInScriptsUnlessAsked() {
        let session = session()
        let transcript = session.transcript(of: [
            "data load digits", "model new mlp 64-16-10 name=base", "train epochs=1", "model copy base other",
            "compare", "compare other timing=on"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let plain = transcript.entries[4].output
        XCTAssertTrue(plain.hasPrefix("  variant  params  non-zero     bytes  ×smaller  test acc  Δ acc\n"), plain)
        XCTAssertTrue(plain.contains("▸ base"), plain)
        XCTAssertTrue(plain.contains("  other"), plain)
        XCTAssertTrue(plain.contains("1.00×"), plain)
        let timed = transcript.entries[5].output
        XCTAssertTrue(timed.contains("µs/sample") && timed.contains("ms/256") && timed.contains("×"), timed)
        XCTAssertTrue(timed.contains("▸ base"), "the baseline is listed even when not named: \(timed)")
    }

    /// At 80 columns the timed table leaves out the kernels, then the per-sample pair, and fits:
    /// it was 96 wide and every row wrapped.
    func testTimedCompareFitsEightyColumns() {
        let session = Session(workspace: Workspace(threads: 1), output: CapturingSink(isTerminal: false, width: 80))
        let transcript = session.transcript(of: [
            "data load digits", "model new mlp 64-16-10 name=baseline", "train epochs=1",
            "quantize bits=8 as=q8 detail=brief", "compare timing=on"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let table = transcript.entries[4].output
        for line in table.split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), 80, table) }
        XCTAssertTrue(table.contains("ms/256") && table.contains("▸ baseline") && table.contains("  q8 "), table)
        XCTAssertFalse(table.contains("µs/sample"), table)
    }

    func testSaveAndLoadThroughTheREPL() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-repl-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("b.safetensors").path
        let session = session()
        let transcript = session.transcript(of: [
            "data load digits", "model new mlp 64-16-10 name=b", "train epochs=1", "model save b \(path)",
            "model load \(path) name=c", "eval c"])
        XCTAssertFalse(transcript.failed, transcript.text)
        XCTAssertTrue(transcript.entries[4].output.hasPrefix("loaded c from \(path): mlp 64-16-10 · 1,210 parameters"), transcript.text)
        let b = try session.workspace.variants.variant(named: "b").model
        let c = try session.workspace.variants.variant(named: "c").model
        for name in b.parameterNames {
            XCTAssertEqual(try b.parameter(named: name).value, try c.parameter(named: name).value)
        }
        XCTAssertEqual(c.completedEpochs, 1)
        // A file that is not a safetensors file: an error, and nothing changes.
        let junk = folder.appendingPathComponent("junk.safetensors").path
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: junk))
        if case .failed(let message) = session.execute("model load \(junk)") {
            XCTAssertTrue(message.contains("junk.safetensors"), message)
        } else {
            XCTFail("loading junk must fail")
        }
        XCTAssertEqual(session.workspace.variants.names, ["b", "c"])
    }

    func testDataCommands() {
        let session = session()
        let transcript = session.transcript(of: ["data load iris test=0.2 seed=1", "data info", "data show 0"])
        XCTAssertFalse(transcript.failed, transcript.text)
        XCTAssertEqual(transcript.entries[0].output,
                       "loaded iris: 150 samples of 4, 3 classes · 120 train / 30 test (stratified, seed 1) ·\n  normalize=standard\n")
        XCTAssertTrue(transcript.entries[1].output.contains("class "), transcript.text)
        XCTAssertTrue(transcript.entries[2].output.hasPrefix("sample 0 of iris (test): class "), transcript.text)
        let digits = session.transcript(of: ["data load digits", "data show 0"])
        XCTAssertEqual(digits.entries[1].output.split(separator: "\n").count, 1 + 1 + 8 + 1, digits.text)
        XCTAssertEqual(session.execute("data load nope"), session.execute("data load nope"))
        if case .failed = session.execute("data load nope") {} else { XCTFail("an unknown dataset must fail") }
    }
}

final class InspectionCommandTests: XCTestCase {
    func testShowFormulaAndTraceOutput() {
        let session = Session.scripted(workspace: Workspace(threads: 1), registry: .standard)
        let transcript = session.transcript(of: [
            "data load digits", "model new mlp 64-16-10 name=m", "show fc2.bias", "show relu1.out", "formula",
            "trace 0", "show relu1.out", "formula cross-entropy", "formula sgd", "model new cnn name=c", "trace 1 c"],
                                            keepGoing: true)
        let entries = transcript.entries
        XCTAssertEqual(entries.count, 11, transcript.text)
        XCTAssertEqual(entries.compactMap(\.error),
                       ["relu1.out is an activation: it exists after a sample goes through the model; run 'trace I m' first"])
        XCTAssertEqual(entries[2].output.split(separator: "\n").first, "fc2.bias [10] f32 · parameter of m")
        XCTAssertTrue(entries[2].output.contains("zeros 100.00% (10 of 10)"), entries[2].output)
        XCTAssertTrue(entries[4].output.contains("  softmax        Softmax: logits to probabilities\n"), entries[4].output)
        XCTAssertTrue(entries[6].output.hasPrefix("relu1.out [16] f32 · activation of m for sample 0 of digits (last trace)\n"),
                      entries[6].output)
        XCTAssertTrue(entries[7].output.contains("  L = −log p₆   (true class 6) = −log "), entries[7].output)
        XCTAssertTrue(entries[8].output.contains("train with optimizer=sgd to see this rule with the numbers of its last update"),
                      entries[8].output)
        XCTAssertTrue(entries[10].output.contains("conv1.out [16, 8, 8] · conv2d\nchannel 0 of 16:\n"), entries[10].output)
        XCTAssertTrue(entries[10].output.contains("flatten.out [128] · flatten"), entries[10].output)
    }
}
