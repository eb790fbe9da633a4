import XCTest
import SlimKernels
@testable import SlimLab
import SlimTestSupport

final class PruningWorkspaceTests: XCTestCase {
    /// A session with digits loaded and a 64-32-10 MLP trained briefly as `baseline`.
    func trainedWorkspace() throws -> Workspace { try TrainedDigits.workspace() }

    func zeroCount(_ tensor: Tensor<Float>) -> Int { tensor.scalars.filter { $0 == 0 }.count }

    func testMasksStayExactlyZeroThroughFinetuning() throws {
        let workspace = try trainedWorkspace()
        var options = MagnitudePruningOptions(sparsity: 0.8)
        options.scope = .global
        let outcome = try workspace.pruneMagnitude("baseline", options: options, name: "p80")
        let pruned = try workspace.variants.variant(named: "p80").model
        let tuning = try workspace.finetune("p80", options: FinetuneOptions(epochs: 3, learningRate: 0.003), as: "p80ft")
        XCTAssertEqual(outcome.variant, "p80")
        XCTAssertEqual(tuning.variant, "p80ft")
        XCTAssertEqual(tuning.made, "p80ft")
        XCTAssertEqual(tuning.trainingReport?.epochs.count, 3)
        let tuned = try workspace.variants.variant(named: "p80ft").model
        for (before, after) in zip(pruned.prunableWeights, tuned.prunableWeights) {
            let mask = tuned.pruningMasks[before.name]!
            for i in 0..<mask.count where mask[flat: i] == 0 {
                XCTAssertEqual(after.value[flat: i], 0, "\(before.name)[\(i)] revived")
            }
            XCTAssertEqual(zeroCount(after.value), zeroCount(before.value))
            XCTAssertNotEqual(after.value, before.value, "fine-tuning changed nothing in \(before.name)")
        }
        // The pruned variant without fine-tuning is untouched, and so is the baseline.
        XCTAssertEqual(try workspace.variants.variant(named: "p80").model.prunableWeights.map(\.value),
                       pruned.prunableWeights.map(\.value))
        XCTAssertTrue(try workspace.variants.variant(named: "baseline").model.pruningMasks.isEmpty)
        XCTAssertEqual(workspace.variants.currentName, "baseline", "no technique changes the current model")
    }

    func testOneShotOutcomeEndsWithStorageAndItsSummary() throws {
        let workspace = try trainedWorkspace()
        let outcome = try workspace.pruneMagnitude(options: MagnitudePruningOptions(sparsity: 0.9))
        XCTAssertEqual(outcome.variant, "baseline-p90")
        XCTAssertEqual(outcome.source, "baseline")
        XCTAssertEqual(outcome.title, "per-layer magnitude pruning to sparsity 0.9: baseline → baseline-p90")
        XCTAssertEqual(outcome.steps.last?.title, "Store the weights")
        let storage = try XCTUnwrap(outcome.steps.last?.tables.first)
        XCTAssertEqual(storage.columns.last?.title, "stored as")
        XCTAssertEqual(storage.rows.compactMap(\.last), ["CSR", "CSR"])
        let model = try workspace.variants.variant(named: "baseline-p90").model
        let baseline = try workspace.variants.variant(named: "baseline").model
        XCTAssertEqual(model.storedTensors.first { $0.name == "fc1.weight" }?.dtype, .csrFloat32)
        XCTAssertLessThan(model.storedByteCount, baseline.storedByteCount)
        // The summary measures both models the one way every technique does.
        let test = try XCTUnwrap(workspace.data?.test)
        XCTAssertEqual(outcome.summary.sourceBytes, baseline.storedByteCount)
        XCTAssertEqual(outcome.summary.variantBytes, model.storedByteCount)
        XCTAssertEqual(outcome.summary.accuracyBefore, try baseline.accuracy(on: test, pool: workspace.pool))
        XCTAssertEqual(outcome.summary.accuracyAfter, try model.accuracy(on: test, pool: workspace.pool))
        let total = LayerSparsity.total(of: model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) })
        XCTAssertEqual(outcome.made?.quantities, [.count(total.zeros), .count(total.parameters), .percent(total.sparsity),
                                                  .count(model.parameterCount)])
    }

    func testGradualScheduleReachesTheTargetWithFinetuningBetweenSteps() throws {
        let workspace = try trainedWorkspace()
        var options = MagnitudePruningOptions(sparsity: 0.75)
        options.scope = .global
        options.schedule = .gradual
        options.steps = 3
        options.epochsPerStep = 1
        let outcome = try workspace.pruneMagnitude("baseline", options: options, name: "g75")
        let model = try workspace.variants.variant(named: "g75").model
        let total = LayerSparsity.total(of: model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) })
        XCTAssertEqual(total.zeros, MagnitudePruning.pruneCount(parameters: total.parameters, sparsity: 0.75))
        XCTAssertEqual(outcome.steps.map(\.title).prefix(4), [
            "Plan the schedule", "Prune to 0.5278 at t = 1, then fine-tune",
            "Prune to 0.7222 at t = 2, then fine-tune", "Prune to 0.75 at t = 3, then fine-tune"])
        XCTAssertEqual(try workspace.variants.variant(named: "g75").trainingRuns.count,
                       try workspace.variants.variant(named: "baseline").trainingRuns.count + 3)
    }

    func testStructuredVariantIsSmallerAndNamed() throws {
        let workspace = try trainedWorkspace()
        let outcome = try workspace.pruneStructured(ratio: 0.25, norm: .l1)
        XCTAssertEqual(outcome.variant, "baseline-s25")
        let model = try workspace.variants.variant(named: "baseline-s25").model
        XCTAssertEqual(try model.parameter(named: "fc1.weight").value.shape, [24, 64])
        XCTAssertEqual(model.parameterCount, 24 * 64 + 24 + 10 * 24 + 10)
    }

    func testSensitivityPrunesEachLayerAlone() throws {
        let workspace = try trainedWorkspace()
        let analysis = try workspace.pruningSensitivity("baseline", levels: [0.9, 0.0, 0.5], method: .magnitude)
        XCTAssertEqual(analysis.levels, [0, 0.5, 0.9])
        XCTAssertEqual(analysis.curves.map(\.name), ["fc1.weight", "fc2.weight"])
        for curve in analysis.curves { XCTAssertEqual(curve.accuracies[0], analysis.baselineAccuracy) }
        let layer = try MagnitudePruning.prune(model: try workspace.variants.variant(named: "baseline").model,
                                               sparsity: 0.9, scope: .layer, layers: ["fc2"]).model
        XCTAssertEqual(analysis.curves[1].accuracies[2], try layer.accuracy(on: workspace.data!.test, pool: workspace.pool))
        let structured = try workspace.pruningSensitivity("baseline", levels: [0.5], method: .structured)
        XCTAssertEqual(structured.curves.map(\.name), ["fc1.weight"])
    }

    func testBadRequestsChangeNothing() throws {
        let workspace = try trainedWorkspace()
        let names = workspace.variants.names
        XCTAssertThrowsError(try workspace.pruneMagnitude(options: MagnitudePruningOptions(sparsity: 1))) { error in
            XCTAssertEqual(error as? PruningError, .sparsityOutOfRange(1))
        }
        var unknown = MagnitudePruningOptions(sparsity: 0.5)
        unknown.layers = ["fc3"]
        XCTAssertThrowsError(try workspace.pruneMagnitude(options: unknown)) { error in
            XCTAssertEqual("\(error)", "unknown layer 'fc3': prunable layers are fc1, fc2")
        }
        XCTAssertThrowsError(try workspace.pruneMagnitude(options: MagnitudePruningOptions(sparsity: 0.5), name: "baseline")) { error in
            XCTAssertEqual(error as? VariantError, .nameTaken("baseline"))
        }
        XCTAssertThrowsError(try workspace.pruneMagnitude("nope", options: MagnitudePruningOptions(sparsity: 0.5)))
        XCTAssertEqual(workspace.variants.names, names)

        let empty = Workspace(threads: 1)
        try empty.newModel("mlp 64-8-10", name: "m")
        var gradual = MagnitudePruningOptions(sparsity: 0.5)
        gradual.schedule = .gradual
        XCTAssertThrowsError(try empty.pruneMagnitude(options: gradual)) { error in
            XCTAssertEqual(error as? PruningWorkspaceError, .scheduleNeedsData)
        }
        XCTAssertThrowsError(try empty.finetune(options: FinetuneOptions())) { error in
            XCTAssertEqual(error as? WorkspaceError, .noData(purpose: "finetune"))
            XCTAssertEqual("\(error)", "no data loaded yet: finetune needs a dataset; load one with 'data load digits'")
        }
        XCTAssertEqual(empty.variants.names, ["m"])
    }

    func testTrainingAPrunedVariantRebuildsItsSparseStorage() throws {
        let workspace = try trainedWorkspace()
        var options = MagnitudePruningOptions(sparsity: 0.9)
        options.scope = .global
        try workspace.pruneMagnitude("baseline", options: options, name: "p90")
        var training = workspace.trainingDefaults
        training.epochs = 1
        try workspace.train("p90", data: workspace.data!, options: training)
        let model = try workspace.variants.variant(named: "p90").model
        let dense = model.layers[0] as! Dense
        let kernel = try XCTUnwrap(dense.inferenceKernel as? CSRDenseKernel)
        XCTAssertEqual(kernel.matrix.dense(), dense.weight, "the CSR kernel holds the trained weights")
        var withoutKernel = dense
        withoutKernel.inferenceKernel = nil
        let x = workspace.data!.test.features
        let a = dense.forward(x, pool: workspace.pool).scalars, b = withoutKernel.forward(x, pool: workspace.pool).scalars
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-4) }
    }
}
