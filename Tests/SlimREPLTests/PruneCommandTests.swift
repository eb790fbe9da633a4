import XCTest
import Foundation
import SlimLab
@testable import SlimREPL
import SlimTestSupport

final class PruneCommandTests: XCTestCase {
    /// A session with digits loaded and a 64-32-10 MLP trained briefly as `baseline`.
    static func trainedSession(_ architecture: String = "mlp 64-32-10", epochs: Int = 5) throws -> Session {
        Session.scripted(workspace: try TrainedDigits.workspace(architecture, epochs: epochs))
    }

    func testMagnitudeMakesAVariantAndPrintsEveryStep() throws {
        let session = try Self.trainedSession()
        let transcript = session.transcript(of: ["prune magnitude sparsity=0.8 scope=global as=p80"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let text = transcript.text
        for expected in ["global magnitude pruning to sparsity 0.8: baseline → p80",
                         "Step 1/7 · Measure the weights", "Step 2/7 · Count the weights to prune, over all chosen layers",
                         "n = Σ_l n_l = 2048 + 320 = 2368", "k = ⌊n·S⌋ = ⌊2368·0.8⌋ = 1894",
                         "Step 3/7 · Find one threshold for all layers", "τ = |w|₍ₖ₎, the k-th smallest |w| = |w|₍1894₎ = ",
                         "Step 4/7 · Build the masks and apply them", "mᵢ = 1 if |wᵢ| > τ, else 0", "w′ = w ⊙ m",
                         "fc1.weight [32, 64], rows 0–3, columns 0–5", "Step 5/7 · Look at the distribution",
                         "┊ ±τ = ", "Step 6/7 · Count what is left", "Step 7/7 · Store the weights",
                         "  size      ", "  accuracy  ", "made p80 from baseline: 1,894 of 2,368 weights are zero (79.98%)"] {
            XCTAssertTrue(text.contains(expected), "missing: \(expected)\n\(text)")
        }
        XCTAssertEqual(session.workspace.variants.currentName, "baseline")
        XCTAssertTrue(try session.workspace.variants.variant(named: "baseline").model.pruningMasks.isEmpty)
    }

    func testBriefDetailPrintsOnlyTheResult() throws {
        let session = try Self.trainedSession()
        let text = session.transcript(of: ["prune magnitude sparsity=0.5 detail=brief"]).text
        // The echo, the title, the size and accuracy lines, and the made line, which wraps at 100
        // columns with a hanging indent.
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 6, text)
        XCTAssertEqual(lines[2], "  size      9.41 KiB  (unchanged)", "half the weights zero still fit dense storage best: \(text)")
        XCTAssertTrue(lines[3].hasPrefix("  accuracy  "), text)
        XCTAssertTrue(lines[4].hasPrefix("made baseline-p50 from baseline: "), text)
        XCTAssertTrue(lines[5].hasPrefix("  "), text)
        XCTAssertFalse(text.contains("Step "), text)
        XCTAssertTrue(text.contains("per-layer magnitude pruning to sparsity 0.5: baseline → baseline-p50"), text)
        XCTAssertTrue(text.contains("made baseline-p50 from baseline: 1,184 of 2,368 weights are zero (50.00%)"), text)
    }

    func testFinetuneKeepsMasksAndSaysSo() throws {
        let session = try Self.trainedSession()
        let transcript = session.transcript(of: ["prune magnitude sparsity=0.9 as=p90 detail=brief",
                                                 "finetune from=p90 epochs=2 as=p90ft"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let output = transcript.entries[1].output
        XCTAssertTrue(output.hasPrefix("fine-tuned p90 → p90ft for 2 epochs with its masks (lr 0.001)\n"), output)
        XCTAssertTrue(output.contains("masked weights still zero: 2,131 of 2,131"), output)
        XCTAssertEqual(session.workspace.variants.currentName, "baseline")
        XCTAssertTrue(output.contains("baseline stays the current model ('model use p90ft' switches"), output)
    }

    func testBadArgumentsGiveClearErrorsAndChangeNothing() throws {
        let session = try Self.trainedSession()
        let cases: [(String, String)] = [
            ("prune magnitude sparsity=1.2", "sparsity=1.2 is out of range (allowed: 0 ≤ x < 1)"),
            ("prune magnitude sparsity=0.5 layers=fc7", "unknown layer 'fc7': prunable layers are fc1, fc2"),
            ("prune magnitude sparsity=0.5 from=nope", "no variant named 'nope' for from= — known: baseline"),
            ("prune structured ratio=0.5 layers=fc2",
             "fc2 cannot lose units: it is the output layer (its units are the classes) or no Dense/Conv2D layer reads it; layers that can: fc1"),
            ("prune sensitivity sparsities=0.5,1", "sparsity=1.0 is out of range: use a fraction in [0, 1), e.g. sparsity=0.8 to remove 80 % of the weights"),
            ("prune magnitude sparsity=0.5 as=baseline", "a model named 'baseline' exists already; choose another name or 'model drop baseline' first"),
        ]
        for (line, message) in cases {
            XCTAssertEqual(session.execute(line), .failed(message), line)
        }
        XCTAssertEqual(session.workspace.variants.names, ["baseline"])
    }

    func testStructuredSensitivityAndBenchWithoutTiming() throws {
        let session = try Self.trainedSession()
        let transcript = session.transcript(of: ["prune structured ratio=0.25 as=thin",
                                                 "prune sensitivity from=baseline sparsities=0.5,0.9",
                                                 "bench thin timing=off"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let structured = transcript.entries[0].output
        XCTAssertTrue(structured.contains("fc1.weight: [32, 64] → [24, 64]"), structured)
        XCTAssertTrue(structured.contains("fc2.weight: [10, 32] → [10, 24]"), structured)
        XCTAssertTrue(structured.contains("r = ⌊units·R⌋ = ⌊32·0.25⌋ = 8"), structured)
        let sensitivity = transcript.entries[1].output
        XCTAssertTrue(sensitivity.contains("layer       params    0.5    0.9"), sensitivity)
        XCTAssertTrue(sensitivity.contains("fc1.weight   2,048"), sensitivity)
        XCTAssertEqual(transcript.entries[2].output, """
            fc1.weight of thin: 100.00% of the weights kept, batch 64
            way                  weight shape   bytes  vs dense  multiply-adds
            ───────────────────  ────────────  ──────  ────────  ─────────────
            dense fp32           [24, 64]       6,144     1.00×         98,304
            dense, mask applied  [24, 64]      12,288     2.00×         98,304
            CSR (SpMM)           [24, 64]      12,388     2.02×         98,304
            structurally shrunk  [24, 64]       6,144     1.00×         98,304

            """)
    }

    func testFormulaTopicsOfPruning() throws {
        let session = try Self.trainedSession()
        let transcript = session.transcript(of: ["formula schedule", "formula prune", "formula l1", "formula l2"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let schedule = transcript.entries[0].output
        XCTAssertTrue(schedule.contains("Pruning schedules: gradual (cubic) and iterative"), schedule)
        XCTAssertTrue(schedule.contains("s_4 = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³ = 0.9 + (0 − 0.9)·(1 − (4 − 0)/(4·2))³ = 0.7875"), schedule)
        XCTAssertTrue(transcript.entries[1].output.contains("k = ⌊n·S⌋ = ⌊2368·0.8⌋ = 1894"), transcript.entries[1].output)
        XCTAssertTrue(transcript.entries[2].output.contains("‖fc1.weight‖₁ = Σᵢ |wᵢ| = "), transcript.entries[2].output)
        XCTAssertTrue(transcript.entries[3].output.contains("‖fc2.weight‖₂ = √(Σᵢ wᵢ²) = √("), transcript.entries[3].output)
    }

    func testModelListShowsEachVariantsOwnAccuracy() throws {
        let session = try Self.trainedSession()
        XCTAssertEqual(session.execute("prune magnitude sparsity=0.95 as=p95 detail=brief"), .succeeded)
        let own = try XCTUnwrap(try session.workspace.testAccuracy(of: "p95"))
        let source = try XCTUnwrap(try session.workspace.testAccuracy(of: "baseline"))
        XCTAssertNotEqual(own, source, "95 % of the weights gone must cost accuracy")
        let list = session.transcript(of: ["model list"]).text
        let row = try XCTUnwrap(list.split(separator: "\n").first { $0.contains(" p95 ") })
        XCTAssertTrue(row.contains(NumberFormatting.percent(own)), String(row))
        XCTAssertFalse(row.contains(NumberFormatting.percent(source)), String(row))
    }
}
