import XCTest
import Foundation
@testable import SlimLab
import SlimTestSupport

/// Issue 16's end-to-end claim on the real data: LeNet-300-100 trained on all 60,000
/// Fashion-MNIST images by the README's recipe, then `compress deep` with its defaults, is at
/// least 30× smaller at a cost of at most one point of test accuracy; the file on disk is the
/// size reported and reads back to the same accuracy; the variant survives `model save` and
/// `model load`. (About half a minute on two cores: the one test here that trains at scale.)
final class FashionMNISTDeepCompressionTests: XCTestCase {
    func testLeNet300IsThirtyTimesSmallerWithinAPoint() throws {
        let workspace = try Workspace.loading("fashion-mnist", threads: 2)
        let data = try XCTUnwrap(workspace.data)
        XCTAssertEqual(data.train.count, 60_000)
        XCTAssertEqual(data.test.count, 10_000)
        try workspace.newModel("lenet300", name: "lenet300", seed: 0)
        var training = workspace.trainingDefaults
        (training.epochs, training.learningRate, training.batchSize, training.weightDecay) = (20, 0.001, 64, 0.0005)
        training.evaluatesEachEpoch = false
        try workspace.train("lenet300", data: data, options: training)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-deep-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lenet300.sldc").path
        let outcome = try workspace.deepCompress("lenet300", options: DeepCompressionOptions(), path: path)
        let report = try XCTUnwrap(outcome.deepCompression)

        let before = try XCTUnwrap(report.baselineAccuracy), after = try XCTUnwrap(report.reloadedAccuracy)
        XCTAssertGreaterThanOrEqual(before, 0.89, "LeNet-300-100 reaches 89 %")
        XCTAssertGreaterThanOrEqual(report.compressionRatio, 30)
        XCTAssertLessThanOrEqual((before - after) * 100, 1.0, "points lost")
        let onDisk = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(onDisk, report.fileBytes)
        XCTAssertEqual(report.sizeOnDisk, report.fileBytes)
        XCTAssertEqual(report.baselineBytes, 266_610 * 4)

        // The session's variant evaluates as the file reads back, and keeps the file's tensors.
        let deep = try workspace.variants.variant(named: "lenet300-deep").model
        XCTAssertEqual(try deep.accuracy(on: data.test, pool: workspace.pool), after)
        XCTAssertEqual(deep.storedByteCount, report.variantBytes)
        XCTAssertLessThan(report.variantBytes, report.fileBytes)
        XCTAssertGreaterThan(report.variantBytes, report.fileBytes - 200, "the file adds its header and the names")
        let saved = try workspace.saveModel("lenet300-deep", to: folder.appendingPathComponent("deep.safetensors").path)
        let loaded = try Workspace(threads: 1).loadModel(from: saved.path)
        XCTAssertEqual(loaded.model.storedByteCount, deep.storedByteCount)
        XCTAssertEqual(try loaded.model.accuracy(on: data.test, pool: workspace.pool), after)
    }
}
