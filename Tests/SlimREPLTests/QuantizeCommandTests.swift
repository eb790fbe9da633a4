import XCTest
import SlimLab
@testable import SlimREPL
import SlimTestSupport

/// The quantization commands through a scripted session on a trained digits MLP.
final class QuantizeCommandTests: XCTestCase {
    private static let trained: (baseline: Variant, data: DatasetSplit)? = {
        guard let split = try? TrainedDigits.split(),
              let baseline = try? TrainedDigits.variant("mlp 64-64-10", epochs: TrainingOptions().epochs) else { return nil }
        return (baseline, split)
    }()

    private func session() throws -> Session {
        let trained = try XCTUnwrap(Self.trained, "digits could not be loaded and trained")
        let workspace = Workspace(threads: 1)
        workspace.data = trained.data
        try workspace.variants.add(trained.baseline)
        return Session.scripted(workspace: workspace, registry: .standard)
    }

    private func lines(_ text: String, containing fragment: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.contains(fragment) }
    }

    func testStaticInt8StepByStep() throws {
        let session = try session()
        let text = session.transcript(of: ["quantize granularity=channel as=int8 timing=on"]).text
        XCTAssertEqual(lines(text, containing: "  latency   ").count, 1, text)
        XCTAssertEqual(lines(text, containing: "Step ").count, 6, text)
        // "accuracy  97.33% → 97.33%  (+0.00 points, digits test set)": within half a point.
        let accuracy = try XCTUnwrap(lines(text, containing: "  accuracy  ").first)
        let delta = try XCTUnwrap(Double(accuracy.split(separator: "(")[1].split(separator: " ")[0]))
        XCTAssertLessThanOrEqual(abs(delta), 0.5, accuracy)
        XCTAssertEqual(lines(text, containing: "size      18.8 KiB → 5.20 KiB").count, 1, text)
        XCTAssertEqual(lines(text, containing: "relu1.out: T = the 99.99th percentile").count, 1, text)
        XCTAssertEqual(lines(text, containing: "q = clamp(round(x / s) + z, q_min, q_max)").count, 1, text)
        XCTAssertEqual(session.workspace.variants.names, ["baseline", "int8"])
        XCTAssertEqual(session.workspace.variants.currentName, "baseline")
        XCTAssertNotNil(try session.workspace.variants.variant(named: "int8").model.inferenceEngine)
    }

    func testFourBitsEntropyBlocksAndConventions() throws {
        let session = try session()
        let text = session.transcript(of: [
            "quantize bits=4 calib=entropy", "quantize format=q4_0", "quantize conventions fc1.weight",
        ]).text
        XCTAssertEqual(lines(text, containing: "┊ the 15 values the codes can represent").count, 1, text)
        XCTAssertEqual(lines(text, containing: "T = argmin KL(P || Q_T)").count, 2, text)
        XCTAssertEqual(lines(text, containing: "18 bytes per 32 weights = 4.5 bits per weight").count, 1, text)
        XCTAssertEqual(lines(text, containing: "ggml Q8_0   -127…127  max|x|/127 per 32").count, 1, text)
        XCTAssertEqual(session.workspace.variants.names, ["baseline", "int4", "q4_0"])
    }

    func testQATRecordsEveryEpoch() throws {
        let session = try session()
        let text = session.transcript(of: ["qat bits=4 epochs=2 as=qat4"]).text
        XCTAssertEqual(lines(text, containing: "Step ").count, 3, text)
        XCTAssertEqual(lines(text, containing: "  size      18.8 KiB → ").count, 1, text)
        XCTAssertEqual(lines(text, containing: "layers: fq_input → fc1 → relu1 → fq_relu1 → fc2").count, 1, text)
        XCTAssertEqual(lines(text, containing: "test accuracy: ").count, 1, text)
        XCTAssertNotNil(try session.workspace.variants.variant(named: "qat4").model.inferenceEngine)
    }

    func testErrorsChangeNothing() throws {
        let session = try session()
        guard case .failed(let missing) = session.execute("quantize conventions") else { return XCTFail("ran") }
        XCTAssertTrue(missing.hasPrefix("'quantize conventions' needs TENSOR"), missing)
        XCTAssertEqual(session.execute("quantize fc1.weight"),
                       .failed("unknown sub-command 'fc1.weight' of 'quantize' — allowed: conventions"))
        XCTAssertEqual(session.execute("quantize as=baseline"),
                       .failed("a model named 'baseline' exists already; choose another name or 'model drop baseline' first"))
        session.workspace.data = nil
        XCTAssertEqual(session.execute("quantize"),
                       .failed(WorkspaceError.noData(purpose: "static quantization (it calibrates the activation ranges)").description))
        XCTAssertEqual(session.workspace.variants.names, ["baseline"])
    }
}
