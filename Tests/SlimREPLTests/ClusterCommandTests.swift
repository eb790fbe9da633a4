import XCTest
import Foundation
import SlimLab
@testable import SlimREPL

final class ClusterCommandTests: XCTestCase {
    func testClusterPrintsItsStepsAndTheCheck() throws {
        let session = try PruneCommandTests.trainedSession()
        let transcript = session.transcript(of: ["cluster k=8 as=k8"])
        XCTAssertFalse(transcript.failed, transcript.text)
        for expected in ["8-way weight sharing (linear k-means): baseline → k8",
                         "Step 1/4 · Place the centroids over the weights of fc1.weight",
                         "Step 2/4 · Assign each weight to its nearest centroid", "I = ",
                         "Step 3/4 · The codebook of fc1.weight", "Step 4/4 · Check and count every tensor",
                         "8 ≤ 8 ✓", "r = n·32 / (n·log₂k + k·32) = 2048·32 / (2048·3 + 8·32) = 10.24",
                         "  accuracy  ", "made k8: every tensor holds ≤ 8 distinct values; baseline stays the current model"] {
            XCTAssertTrue(transcript.text.contains(expected), "missing: \(expected)\n\(transcript.text)")
        }
        // Like every technique, cluster adds its result beside the current model.
        XCTAssertEqual(session.workspace.variants.currentName, "baseline")
        XCTAssertNotNil(try? session.workspace.variants.variant(named: "k8"))
    }

    func testBadRequestsChangeNothing() throws {
        let session = try PruneCommandTests.trainedSession()
        for (line, message) in [("cluster k=1", "k=1"), ("cluster init=forgy", "forgy"),
                                ("cluster layers=fc9", "fc9"), ("compress deep from=nobody", "nobody")] {
            let transcript = session.transcript(of: [line])
            XCTAssertTrue(transcript.failed, line)
            XCTAssertTrue(transcript.text.contains(message), "\(line): \(transcript.text)")
        }
        XCTAssertEqual(session.workspace.variants.names, ["baseline"])
    }

    func testCompressDeepWritesTheFileItReports() throws {
        let session = try PruneCommandTests.trainedSession()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-deep-\(getpid()).sldc").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let transcript = session.transcript(of: ["compress deep sparsity=0.8 k=8 epochs=1 qepochs=1 file=\(path)"])
        XCTAssertFalse(transcript.failed, transcript.text)
        let size = try XCTUnwrap((FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue)
        XCTAssertTrue(transcript.text.contains("bytes on disk, = \(NumberFormatting.grouped(size)) bytes reported"), transcript.text)
        for expected in ["Deep Compression: baseline → baseline-deep", "Step 4/4 · Per layer, beside the paper",
                         "paper", "× smaller"] {
            XCTAssertTrue(transcript.text.contains(expected), "missing: \(expected)\n\(transcript.text)")
        }
        let loaded = try DeepCompressionFile.read(path)
        // The variant as computed, without the CSR kernels (whose sums run in another order).
        var variant = try session.workspace.variants.variant(named: "baseline-deep").model
        for index in variant.layers.indices where variant.layers[index] is Dense {
            var dense = variant.layers[index] as! Dense
            dense.inferenceKernel = nil
            try variant.replaceLayer(at: index, with: dense)
        }
        let test = session.workspace.data!.test
        XCTAssertEqual(try loaded.accuracy(on: test, pool: session.workspace.pool),
                       try variant.accuracy(on: test, pool: session.workspace.pool))
    }

    func testDataLoadHoldsOutAValidationPart() throws {
        let session = Session.scripted(workspace: Workspace(threads: 1, seed: 0))
        let transcript = session.transcript(of: ["data load digits val=0.1", "data info"])
        XCTAssertFalse(transcript.failed, transcript.text)
        XCTAssertTrue(transcript.text.contains("1,212 train / 135 val / 450 test (stratified,"), transcript.text)
        XCTAssertEqual(session.workspace.data?.validation?.count, 135)
    }
}
