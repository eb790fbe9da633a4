import XCTest
import SlimKernels
import SlimLab
@testable import SlimREPL
import SlimTestSupport

/// `distill` through the REPL: the step-by-step transcript, the variants it adds, and errors
/// that leave the session unchanged.
final class DistillCommandTests: XCTestCase {
    /// A session with digits loaded and a trained 64-64-10 baseline (set up through the
    /// workspace, so this test does not depend on the data and train commands).
    func digitsSession(epochs: Int = 10) throws -> Session {
        Session.scripted(workspace: try TrainedDigits.workspace("mlp 64-64-10", epochs: epochs), registry: .standard)
    }

    func testStepsAndResultOfAFewLabelsRun() throws {
        let session = try digitsSession()
        let text = session.transcript(of: [
            "distill teacher=baseline student=\"mlp 64-16-10\" labeled=0.05 epochs=12 seeds=0,1",
        ]).text
        for expected in ["Step 1/6 · Teacher, student and data", "Step 2/6 · Dark knowledge", "Step 3/6 · The loss for sample",
                         "Step 4/6 · Why T²", "Step 5/6 · Training (seed 0)", "Step 6/6 · Distilled vs from scratch",
                         "the student has labels for 67 of", "KL(p_t ‖ q_s) = Σⱼ p_tj·log(p_tj / q_sj)",
                         "L = α·T²·KL + (1 − α)·CE", "mean", "the distilled student beats the one from scratch by",
                         "made student (distilled) and student-scratch, both from seed 0; baseline stays the current model"] {
            XCTAssertTrue(text.contains(expected), "missing '\(expected)' in:\n\(text)")
        }
        XCTAssertEqual(session.workspace.variants.names, ["baseline", "student", "student-scratch"])
        XCTAssertEqual(session.workspace.variants.currentName, "baseline")
        // Replays bit for bit.
        let again = try digitsSession().transcript(of: [
            "distill teacher=baseline student=\"mlp 64-16-10\" labeled=0.05 epochs=12 seeds=0,1",
        ]).text
        XCTAssertEqual(text, again)
    }

    func testTSquaredOffWarnsAndBriefPrintsOnlyTheResult() throws {
        let session = try digitsSession(epochs: 3)
        let full = session.transcript(of: ["distill teacher=baseline student=\"mlp 64-16-10\" T=8 tsquared=off epochs=2 scratch=off"]).text
        XCTAssertTrue(full.contains("without T² the teacher's voice is 64× quieter than α=0.7 says"), full)
        XCTAssertTrue(full.contains("L = α·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))      (tsquared=off)"), full)
        XCTAssertFalse(full.contains("student-scratch"))
        let brief = session.transcript(of: ["distill teacher=baseline student=\"mlp 64-16-10\" epochs=2 detail=brief as=b"]).text
        XCTAssertFalse(brief.contains("Step "), brief)
        XCTAssertTrue(brief.contains("made b (distilled) and b-scratch"), brief)
        XCTAssertTrue(brief.contains("distilled − from scratch: "), "the verdict is part of the result: \(brief)")
        XCTAssertTrue(brief.contains("  accuracy  "), brief)
    }

    func testErrorsNameTheProblemAndChangeNothing() throws {
        let session = try digitsSession(epochs: 1)
        XCTAssertEqual(session.execute("distill teacher=baseline student=\"mlp 64-16-3\" epochs=1"),
                       .failed("cannot distill teacher 'baseline' (mlp 64-64-10) into student mlp 64-16-3: the teacher has 10 "
                               + "outputs and the student 3; a student must predict the same classes as its teacher"))
        XCTAssertEqual(session.execute("distill teacher=baseline student=\"mlp 16-16-10\" epochs=1"),
                       .failed("cannot distill teacher 'baseline' (mlp 64-64-10) into student mlp 16-16-10: the teacher reads 64 "
                               + "inputs per sample and the student 16; both must read the same samples"))
        if case .failed(let message) = session.execute("distill teacher=baseline student=tiny") {
            XCTAssertTrue(message.hasPrefix("student=tiny is not allowed; expected a variant (baseline) or an architecture"), message)
        } else {
            XCTFail("an unknown student must fail")
        }
        if case .failed(let message) = session.execute("distill teacher=nobody student=\"mlp 64-16-10\"") {
            XCTAssertTrue(message.contains("nobody"), message)
        } else {
            XCTFail("an unknown teacher must fail")
        }
        if case .failed(let message) = session.execute("distill teacher=baseline student=\"mlp 64-16-10\" labeled=0") {
            XCTAssertTrue(message.contains("labeled"), message)
        } else {
            XCTFail("labeled=0 must fail")
        }
        if case .failed(let message) = session.execute("distill teacher=baseline student=\"mlp 64-16-10\" T=0") {
            XCTAssertTrue(message.contains("T"), message)
        } else {
            XCTFail("T=0 must fail")
        }
        XCTAssertEqual(session.workspace.variants.names, ["baseline"])
    }

    func testWithoutDataItSaysHowToLoadSome() {
        let session = Session.scripted(workspace: Workspace(threads: 1), registry: .standard)
        session.execute("model new mlp 64-32-10 name=t")
        XCTAssertEqual(session.execute("distill teacher=t student=\"mlp 64-8-10\""),
                       .failed("no data loaded yet: distill needs a dataset; load one with 'data load digits'"))
    }

    func testFormulaKDAndKLUseTheLastDistillSample() throws {
        let session = try digitsSession(epochs: 2)
        let before = session.transcript(of: ["formula kd"]).text
        XCTAssertTrue(before.contains("L = α·T²·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))"), before)
        XCTAssertTrue(before.contains("run 'distill teacher=N student=\"mlp 64-16-10\"' to see this rule"), before)
        session.execute("distill teacher=baseline student=\"mlp 64-16-10\" epochs=1 detail=brief")
        let example = try XCTUnwrap(session.workspace.lastDistillation)
        let kd = session.transcript(of: ["formula kd"]).text
        XCTAssertTrue(kd.contains("with the numbers of training sample \(example.sampleIndex) of digits in the last distill"), kd)
        XCTAssertTrue(kd.contains("= 0.7·4²·"), kd)
        let kl = session.transcript(of: ["formula kl"]).text
        XCTAssertTrue(kl.contains("KL(p ‖ q) = Σⱼ pⱼ·log(pⱼ / qⱼ) = H(p, q) − H(p)"), kl)
        XCTAssertTrue(kl.contains("KL(p_t ‖ q_s) = Σⱼ = " + Formula.Value.real(example.kl).formatted(digits: 4)), kl)
        XCTAssertTrue(kl.contains("KL(p_t ‖ q_s) after distillation = "), kl)
        let softmax = session.transcript(of: ["formula softmax"]).text
        XCTAssertTrue(softmax.contains("at temperature T: pⱼ = e^((zⱼ − m)/T) / Σ_k e^((z_k − m)/T)"), softmax)
    }
}
