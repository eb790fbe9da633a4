import XCTest
import SlimLab
@testable import SlimREPL

final class ModelCommandTests: XCTestCase {
    func session() -> Session { Session.scripted(workspace: Workspace(threads: 1), registry: .standard) }

    func testModelNewListSummaryCopyDrop() {
        let session = session()
        let transcript = session.transcript(of: [
            "model new mlp 64-32-10 name=baseline", "model new cnn", "model copy baseline b2",
            "model list", "model summary baseline", "model use baseline", "model drop b2",
        ])
        XCTAssertEqual(transcript.text, """
            slimlab> model new mlp 64-32-10 name=baseline
            created baseline: mlp 64-32-10 · 2,410 parameters · 9.41 KiB, seed 0
            slimlab[baseline]> model new cnn
            created cnn: cnn · 6,090 parameters · 23.8 KiB, seed 0
            slimlab[cnn]> model copy baseline b2
            copied baseline to b2; current model: b2
            slimlab[b2]> model list
              name      architecture  parameters      size  epochs  test acc  origin
              ────────  ────────────  ──────────  ────────  ──────  ────────  ────────────────
              baseline  mlp 64-32-10       2,410  9.41 KiB       0         -  new, seed 0
              cnn       cnn                6,090  23.8 KiB       0         -  new, seed 0
            ▸ b2        mlp 64-32-10       2,410  9.41 KiB       0         -  copy of baseline
            slimlab[b2]> model summary baseline
            baseline: mlp 64-32-10
            layer  kind   output shape  parameters     bytes  sparsity  dtype
            ─────  ─────  ────────────  ──────────  ────────  ────────  ─────
            input         [64]
            fc1    dense  [32]               2,080  8.12 KiB      0.0%  f32
            relu1  relu   [32]                   -         -         -
            fc2    dense  [10]                 330  1.29 KiB      0.0%  f32
            total                            2,410  9.41 KiB      0.0%
            slimlab[b2]> model use baseline
            current model: baseline (mlp 64-32-10 · 2,410 parameters · 9.41 KiB)
            slimlab[baseline]> model drop b2
            dropped b2; current model: baseline

            """)
        XCTAssertEqual(session.workspace.variants.names, ["baseline", "cnn"])
    }

    func testModelErrorsLeaveTheSessionUnchanged() {
        let session = session()
        session.execute("model new mlp 4-3 name=a")
        XCTAssertEqual(session.execute("model new mlp"), .failed("model new mlp needs the layer sizes, e.g. 'model new mlp 64-32-10'"))
        XCTAssertEqual(session.execute("model new cnn 4-3"), .failed("the cnn preset takes no sizes; write 'model new cnn'"))
        XCTAssertEqual(session.execute("model new mlp 4-3 name=a"),
                       .failed("a model named 'a' exists already; choose another name or 'model drop a' first"))
        XCTAssertEqual(session.execute("model new rnn"), .failed("ARCH 'rnn' is not one of mlp, cnn, lenet300, lenet5 — did you mean 'cnn'?"))
        if case .failed(let message) = session.execute("model use b") {
            XCTAssertTrue(message.contains("'b'"), message)
        } else {
            XCTFail("model use of an unknown name must fail")
        }
        XCTAssertEqual(session.workspace.variants.names, ["a"])
    }

    func testBaselineShowsAndSets() {
        let session = session()
        let transcript = session.transcript(of: ["model new mlp 4-3 name=a", "model baseline", "model baseline a", "model baseline"])
        XCTAssertEqual(transcript.text, """
            slimlab> model new mlp 4-3 name=a
            created a: mlp 4-3 · 15 parameters · 60 B, seed 0
            slimlab[a]> model baseline
            no baseline yet: it is the first model you train, or set one with 'model baseline N'
            slimlab[a]> model baseline a
            baseline: a
            slimlab[a]> model baseline
            baseline: a (set with model baseline)

            """)
    }
}
