import XCTest
import SlimKernels
@testable import SlimLab

final class VariantTests: XCTestCase {
    func testNewModelsGetUniqueFamilyNamesAndBecomeCurrent() throws {
        let workspace = Workspace(threads: 1, seed: 3)
        let first = try workspace.newModel("mlp 4-8-3")
        let second = try workspace.newModel("mlp 4-8-3")
        let cnn = try workspace.newModel("cnn", name: "conv")
        XCTAssertEqual([first.name, second.name, cnn.name], ["mlp", "mlp-2", "conv"])
        XCTAssertEqual(workspace.variants.currentName, "conv")
        XCTAssertEqual(first.origin, "new, seed 3")
        // The session seed decides the weights unless seed= is given.
        XCTAssertEqual(try first.model.parameter(named: "fc1.weight").value,
                       try second.model.parameter(named: "fc1.weight").value)
        let other = try workspace.newModel("mlp 4-8-3", seed: 4)
        XCTAssertNotEqual(try first.model.parameter(named: "fc1.weight").value,
                          try other.model.parameter(named: "fc1.weight").value)
    }

    func testNamesAreCheckedAndErrorsLeaveTheTableUnchanged() throws {
        let workspace = Workspace(threads: 1)
        try workspace.newModel("mlp 4-8-3", name: "baseline")
        XCTAssertThrowsError(try workspace.newModel("mlp 4-8-3", name: "baseline")) { error in
            XCTAssertEqual("\(error)", "a model named 'baseline' exists already; choose another name or 'model drop baseline' first")
        }
        XCTAssertThrowsError(try workspace.newModel("mlp 4-8-3", name: "bad name"))
        XCTAssertThrowsError(try workspace.newModel("mlp 4-x-3", name: "fine"))
        XCTAssertEqual(workspace.variants.names, ["baseline"])
        XCTAssertThrowsError(try workspace.variants.use("nope")) { error in
            XCTAssertEqual("\(error)", "no model named 'nope'; the models are: baseline")
        }
        XCTAssertTrue(VariantTable.isValidName("pruned-80"))
        XCTAssertTrue(VariantTable.isValidName("int8_v2.1"))
        XCTAssertFalse(VariantTable.isValidName("-x"))
        XCTAssertFalse(VariantTable.isValidName(""))
        XCTAssertFalse(VariantTable.isValidName(String(repeating: "a", count: 41)))
        XCTAssertThrowsError(try Workspace(threads: 1).variants.variant()) { error in
            XCTAssertEqual(error as? VariantError, .noVariants)
        }
    }

    func testCopyUseDropAndBaseline() throws {
        let workspace = Workspace(threads: 1)
        try workspace.newModel("mlp 4-8-3", name: "a")
        try workspace.newModel("mlp 4-8-3", name: "b")
        XCTAssertNil(workspace.variants.baseline, "nothing trained, nothing chosen")
        try workspace.variants.copy("a", to: "c")
        XCTAssertEqual(workspace.variants.currentName, "c")
        XCTAssertEqual(try workspace.variants.variant(named: "c").origin, "copy of a")
        try workspace.variants.update("c") { variant in
            try variant.model.updateParameter(named: "fc1.weight") { $0.value[flat: 0] = 99 }
        }
        XCTAssertNotEqual(try workspace.variants.variant(named: "a").model.parameter(named: "fc1.weight").value[flat: 0], 99)
        try workspace.train("b", data: TestData.blobSplit, options: {
            var o = workspace.trainingDefaults; o.epochs = 1; return o }())
        XCTAssertEqual(workspace.variants.baseline?.name, "b", "the first trained variant")
        try workspace.variants.setBaseline("a")
        XCTAssertEqual(workspace.variants.baseline?.name, "a")
        try workspace.dropModel("a")
        XCTAssertEqual(workspace.variants.baseline?.name, "b", "falls back to the first trained")
        try workspace.variants.use("b")
        try workspace.dropModel("b")
        XCTAssertEqual(workspace.variants.currentName, "c")
        XCTAssertNil(workspace.variants.baseline)
    }

    func testTrainingThroughTheWorkspaceKeepsHistoryAndDropsStaleTrace() throws {
        let workspace = Workspace(threads: 1, seed: 5)
        try workspace.newModel("mlp 4-8-3", name: "m")
        try workspace.trace(sample: 0, of: TestData.blobSplit.test)
        XCTAssertNotNil(workspace.lastTrace)
        var options = workspace.trainingDefaults
        XCTAssertEqual(options.seed, 5)
        options.epochs = 2
        let report = try workspace.train(data: TestData.blobSplit, options: options)
        XCTAssertEqual(report.epochs.count, 2)
        XCTAssertEqual(try workspace.variants.variant(named: "m").trainingRuns.count, 1)
        XCTAssertNil(workspace.lastTrace)
        options.learningRate = 0
        XCTAssertThrowsError(try workspace.train(data: TestData.blobSplit, options: options))
        XCTAssertEqual(try workspace.variants.variant(named: "m").trainingRuns.count, 1)
        XCTAssertNotNil(workspace.formulaSheet(.adam).worked.first)
    }

    func testCompareRowsRatiosAndTiming() throws {
        let workspace = Workspace(threads: 1)
        let data = TestData.blobSplit
        try workspace.newModel("mlp 4-16-3", name: "base")
        var options = workspace.trainingDefaults
        options.epochs = 3
        try workspace.train(data: data, options: options)
        try workspace.variants.copy("base", to: "sparse")
        try workspace.variants.update("sparse") { variant in
            var mask = Tensor<Float>(shape: [16, 4], repeating: 1)
            for i in 0..<32 { mask[flat: i] = 0 }
            try variant.model.setMask(mask, forParameter: "fc1.weight")
        }
        try workspace.newModel("mlp 4-8-3", name: "small")

        let untimed = try workspace.variants.compare(["small", "sparse"], test: data.test, timing: false, pool: workspace.pool)
        XCTAssertEqual(untimed.rows.map(\.name), ["base", "small", "sparse"], "the baseline comes first")
        XCTAssertEqual(untimed.baselineName, "base")
        XCTAssertEqual(untimed.rows.map(\.isBaseline), [true, false, false])
        XCTAssertEqual(untimed.rows.map(\.parameterCount), [131, 67, 131])
        let base = untimed.rows[0], small = untimed.rows[1], sparse = untimed.rows[2]
        XCTAssertEqual(base.timesSmaller, 1)
        XCTAssertEqual(small.timesSmaller!, 131.0 / 67, accuracy: 1e-12)
        XCTAssertEqual(sparse.nonZeroCount, base.nonZeroCount - 32)
        XCTAssertEqual(sparse.byteCount, base.byteCount, "a masked dense layer is stored dense")
        XCTAssertEqual(base.deltaAccuracyPoints, 0)
        XCTAssertEqual(small.deltaAccuracyPoints!, (small.testAccuracy! - base.testAccuracy!) * 100, accuracy: 1e-9)
        XCTAssertNil(base.latencyPerBatch)
        XCTAssertNil(base.speedup)

        let timed = try workspace.variants.compare([], test: data.test, timing: true, pool: workspace.pool, repeats: 3)
        XCTAssertEqual(timed.rows.count, 3)
        for row in timed.rows {
            XCTAssertEqual(row.latencyPerBatch?.batchSize, 256)
            XCTAssertEqual(row.latencyPerSample?.batchSize, 1)
            XCTAssertGreaterThan(row.latencyPerBatch!.seconds, 0)
            XCTAssertNotNil(row.speedup)
        }
        XCTAssertEqual(timed.rows[0].speedup, 1)

        let mismatched = Dataset(name: "wide", features: .zeros([2, 5]), labels: [0, 1], sampleShape: [5],
                                 featureNames: (0..<5).map { "f\($0)" }, classNames: ["a", "b", "c"])
        XCTAssertThrowsError(try workspace.variants.compare([], test: mismatched, timing: false, pool: workspace.pool)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot compare base: the model takes 4 features"), "\(error)")
        }
    }
}
