import XCTest
import Foundation
import SlimLab
@testable import SlimREPL

/// `model export`, `search` and `diagnose` at the command level: their output, and errors that
/// leave the session as it was.
final class ExportSearchDiagnoseCommandTests: XCTestCase {
    func testBudgetsParseAndBadOnesAreNamed() throws {
        XCTAssertEqual(try SearchCommand.parseBudget("20KiB"), .bytes(20_480))
        XCTAssertEqual(try SearchCommand.parseBudget("1.5MiB"), .bytes(1_572_864))
        XCTAssertEqual(try SearchCommand.parseBudget("5000"), .bytes(5000))
        XCTAssertEqual(try SearchCommand.parseBudget("phone"), .preset(.phone))
        for bad in ["", "KiB", "-3KiB", "tiny", "nanKiB"] {
            XCTAssertThrowsError(try SearchCommand.parseBudget(bad)) { error in
                XCTAssertEqual(error as? SearchError, .badBudget(bad))
            }
        }
    }

    func testExportWritesAFileAndAReferenceAndRefusesWithoutData() throws {
        let session = try PruneCommandTests.trainedSession(epochs: 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-export-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let onnx = folder.appendingPathComponent("m.onnx").path, csv = folder.appendingPathComponent("m.csv").path
        let transcript = session.transcript(of: ["model export baseline \(onnx) reference=\(csv)"])
        XCTAssertFalse(transcript.failed, transcript.text)
        XCTAssertTrue(transcript.text.contains("fp32, opset 13"), transcript.text)
        XCTAssertTrue(transcript.text.contains("nodes: Gemm ×2, Relu ×1"), transcript.text)
        XCTAssertTrue(transcript.text.contains("450 test samples"), transcript.text)
        let read = try ONNXModel(serialized: Array(try Data(contentsOf: URL(fileURLWithPath: onnx))))
        XCTAssertEqual(read.graph.nodes.count, 3)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 451)
        XCTAssertTrue(lines[0].hasPrefix("label,predicted,logit0,"))
        XCTAssertEqual(lines[1].split(separator: ",").count, 2 + 10 + 64)

        let empty = Session.scripted(workspace: Workspace(threads: 1, seed: 0))
        let failed = empty.transcript(of: ["model export baseline \(onnx)"])
        XCTAssertTrue(failed.failed)
    }

    func testSearchAndDiagnoseTranscripts() throws {
        let session = try PruneCommandTests.trainedSession(epochs: 3)
        let search = session.transcript(of: ["search budget=4KiB as=small"])
        XCTAssertFalse(search.failed, search.text)
        for expected in ["search baseline → small: budget 4.00 KiB", "round  layer  move", "start (fp32)",
                         "uniform", "search:  fc1 "] {
            XCTAssertTrue(search.text.contains(expected), "missing: \(expected)\n\(search.text)")
        }
        XCTAssertTrue(session.workspace.variants.names.contains("small"))
        XCTAssertLessThanOrEqual(try session.workspace.variants.variant(named: "small").model.storedByteCount, 4096)

        let diagnose = session.transcript(of: ["diagnose baseline small"])
        XCTAssertFalse(diagnose.failed, diagnose.text)
        XCTAssertTrue(diagnose.text.contains("contributes most"), diagnose.text)

        let names = session.workspace.variants.names
        for bad in ["diagnose baseline baseline", "search budget=huge", "search budget=4KiB as=small"] {
            let transcript = session.transcript(of: [bad])
            XCTAssertTrue(transcript.failed, bad)
            XCTAssertEqual(session.workspace.variants.names, names, bad)
        }
    }
}
