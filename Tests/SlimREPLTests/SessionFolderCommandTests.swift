import XCTest
import Foundation
import SlimLab
@testable import SlimREPL

/// `session save` / `session load` keep the whole workspace; `quit` names what would be lost.
final class SessionFolderCommandTests: XCTestCase {
    func session() -> Session { Session.scripted(workspace: Workspace(threads: 1), registry: .standard) }

    func temporaryFolder(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-session-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    /// A session with a trained baseline, a pruned and fine-tuned variant, a static int8 one
    /// and a copy made current, on digits split with a non-default test fraction and seed.
    func populated() -> Session {
        let session = session()
        let lines = [
            "data load digits test=0.3 seed=2", "model new mlp 64-32-10 name=b", "train epochs=3",
            "prune magnitude sparsity=0.8 as=p80", "finetune from=p80 epochs=1", "model use b",
            "quantize bits=8 granularity=channel as=q8", "model copy b c", "model baseline b",
        ]
        for line in lines { XCTAssertEqual(session.execute(line), .succeeded, line) }
        return session
    }

    func testSaveAndLoadGiveTheSameCompareTableAndList() throws {
        let original = populated()
        let folder = temporaryFolder("lab")
        XCTAssertEqual(original.execute("session save \(folder)"), .succeeded)
        let before = original.transcript(of: ["compare", "model list"]).text

        let restored = session()
        let loading = restored.transcript(of: ["session load \(folder)"]).text
        XCTAssertTrue(loading.contains("loaded the session from \(folder): 4 models (b, p80, q8, c), dataset digits"), loading)
        XCTAssertEqual(restored.transcript(of: ["compare", "model list"]).text, before)
        XCTAssertEqual(restored.workspace.variants.currentName, "c")
        XCTAssertEqual(restored.workspace.variants.explicitBaselineName, "b")
        XCTAssertEqual(restored.workspace.data?.test.count, original.workspace.data?.test.count)
        XCTAssertEqual(restored.workspace.data?.test.labels, original.workspace.data?.test.labels)
        XCTAssertEqual(try restored.workspace.variants.variant(named: "p80").parent, "b")
        XCTAssertEqual(restored.workspace.unsavedVariantNames, [])
        // Saving again over the folder replaces it as a whole, and leaves nothing beside it.
        XCTAssertEqual(restored.execute("session save \(folder)"), .succeeded)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path)
        XCTAssertFalse(siblings.contains { $0.hasPrefix(".lab.") }, "\(siblings)")
    }

    func testADamagedFolderGivesAnErrorAndChangesNothing() throws {
        let original = populated()
        let folder = temporaryFolder("damaged")
        XCTAssertEqual(original.execute("session save \(folder)"), .succeeded)
        let target = session()
        XCTAssertEqual(target.execute("model new mlp 4-3 name=mine"), .succeeded)
        XCTAssertEqual(target.execute("model save mine \(temporaryFolder("mine.safetensors"))"), .succeeded)
        let manifest = folder + "/session.json"
        let good = try Data(contentsOf: URL(fileURLWithPath: manifest))

        func assertRefused(_ expected: String, file: StaticString = #filePath, line: UInt = #line) {
            guard case .failed(let message) = target.execute("session load \(folder)") else {
                return XCTFail("a damaged session must not load", file: file, line: line)
            }
            XCTAssertTrue(message.contains(expected), message, file: file, line: line)
            XCTAssertEqual(target.workspace.variants.names, ["mine"], file: file, line: line)
            XCTAssertNil(target.workspace.data, file: file, line: line)
        }
        try Data("{\"format\": ".utf8).write(to: URL(fileURLWithPath: manifest))
        assertRefused("session.json' is damaged: it is not JSON")
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: good) as? [String: Any])
        object["current"] = "nobody"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: manifest))
        assertRefused("session.json' is damaged: no model named 'nobody'")
        object["current"] = "c"
        object["variants"] = 3
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: manifest))
        assertRefused("session.json' is damaged: variants has the wrong type")
        try good.write(to: URL(fileURLWithPath: manifest))
        let q8 = folder + "/variants/q8.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: q8))
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: q8))
        assertRefused("the model file of variant q8 is damaged")
        try FileManager.default.removeItem(atPath: manifest)
        assertRefused("is not a saved session: it has no session.json")
        // A folder that is no session is never overwritten.
        let other = temporaryFolder("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: other + "/notes.txt"))
        guard case .failed(let message) = target.execute("session save \(other)") else { return XCTFail("must refuse") }
        XCTAssertTrue(message.contains("is not a session folder"), message)
        XCTAssertEqual(try String(contentsOfFile: other + "/notes.txt", encoding: .utf8), "keep")
    }

    func testLoadRefusesToDropUnsavedModelsUnlessAsked() throws {
        let original = populated()
        let folder = temporaryFolder("refuse")
        XCTAssertEqual(original.execute("session save \(folder)"), .succeeded)
        let target = session()
        XCTAssertEqual(target.execute("model new mlp 4-3 name=draft"), .succeeded)
        XCTAssertEqual(target.execute("session load \(folder)"),
                       .failed("loading a session replaces this one, whose variant draft is not saved; keep them with 'session save DIR' first, or load with replace=yes"))
        XCTAssertEqual(target.execute("session load \(folder) replace=yes"), .succeeded)
        XCTAssertEqual(target.workspace.variants.names, ["b", "p80", "q8", "c"])
    }

    func testQuitNamesUnsavedModelsAndLeavesWhenAskedAgain() throws {
        let session = session()
        XCTAssertEqual(session.execute("model new mlp 4-3 name=a"), .succeeded)
        XCTAssertEqual(session.execute("model new mlp 4-3 name=b"), .succeeded)
        XCTAssertEqual(session.execute("model save a \(temporaryFolder("a.safetensors"))"), .succeeded)
        session.context.isInteractive = true
        let sink = CapturingSink()
        session.context.output = sink
        XCTAssertEqual(session.execute("quit"), .succeeded, "the first quit stays")
        XCTAssertEqual(sink.text, """
            1 model is not saved and would be lost: b
            keep them with 'session save DIR' (all) or 'model save NAME PATH' (one);
            'quit' again leaves without them

            """)
        XCTAssertEqual(session.execute("quit"), .quit)
        // Once everything is saved, quit leaves at once.
        let saved = self.session()
        XCTAssertEqual(saved.execute("model new mlp 4-3 name=a"), .succeeded)
        XCTAssertEqual(saved.execute("session save \(temporaryFolder("q"))"), .succeeded)
        saved.context.isInteractive = true
        XCTAssertEqual(saved.execute("quit"), .quit)
    }
}
