import XCTest
import SlimKernels
@testable import SlimLab

/// Distillation runs: the pair and data checks, the workspace's variants (sources untouched),
/// determinism, and pruned or quantized students.
final class DistillRunTests: XCTestCase {
    /// Blobs with 3 classes and 4 features, split, and a workspace with a trained teacher.
    private func workspace(threads: Int = 1) throws -> Workspace {
        let workspace = Workspace(threads: threads)
        let blobs = try DatasetGenerator.blobs.generate(count: 240, classes: 3, seed: 1)
        workspace.data = try blobs.split(testFraction: 0.25, seed: 0)
        let features = workspace.data!.train.featureCount
        try workspace.newModel("mlp \(features)-32-3", name: "teacher")
        var options = workspace.trainingDefaults
        options.epochs = 10
        try workspace.train(data: workspace.data!, options: options)
        return workspace
    }

    private func quickOptions(epochs: Int = 3) -> DistillationOptions {
        var options = DistillationOptions()
        options.training.epochs = epochs
        return options
    }

    func testMismatchedClassesOrInputsGiveAClearError() throws {
        let workspace = try workspace()
        let features = workspace.data!.train.featureCount
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-8-5"),
                                                   options: quickOptions())) { error in
            XCTAssertEqual("\(error)", "cannot distill teacher 'teacher' (mlp \(features)-32-3) into student mlp \(features)-8-5: "
                           + "the teacher has 3 outputs and the student 5; a student must predict the same classes as its teacher")
        }
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp 7-8-3"),
                                                   options: quickOptions())) { error in
            XCTAssertEqual("\(error)", "cannot distill teacher 'teacher' (mlp \(features)-32-3) into student mlp 7-8-3: "
                           + "the teacher reads \(features) inputs per sample and the student 7; both must read the same samples")
        }
        try workspace.newModel("mlp \(features)-4-2", name: "two")
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .variant("two"), options: quickOptions())) { error in
            XCTAssertTrue("\(error)".contains("into student 'two' (mlp \(features)-4-2)"), "\(error)")
        }
        XCTAssertEqual(workspace.variants.names, ["teacher", "two"], "a failed distill adds nothing")
    }

    func testUntrainedTeacherAndBadOptionsAreRefused() throws {
        let workspace = try workspace()
        let features = workspace.data!.train.featureCount
        try workspace.newModel("mlp \(features)-8-3", name: "raw")
        XCTAssertThrowsError(try workspace.distill(teacher: "raw", student: .architecture("mlp \(features)-4-3"),
                                                   options: quickOptions())) { error in
            XCTAssertEqual(error as? DistillationError, .untrainedTeacher("raw"))
        }
        var options = quickOptions()
        options.labeled = .count(10_000)
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-4-3"),
                                                   options: options)) { error in
            XCTAssertEqual("\(error)", "labeled=10000 is not allowed; expected a count from 1 to 180 (the training samples) or a fraction like 0.05")
        }
        options = quickOptions()
        options.sampleIndex = 180
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-4-3"),
                                                   options: options))
        options = quickOptions()
        options.seeds = [1, 1]
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-4-3"),
                                                   options: options))
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-4-3"),
                                                   options: quickOptions(), name: "raw")) { error in
            XCTAssertEqual(error as? VariantError, .nameTaken("raw"))
        }
        XCTAssertEqual(workspace.variants.names, ["teacher", "raw"])
    }

    func testDistillAddsTwoVariantsAndLeavesTheTeacherUntouched() throws {
        let workspace = try workspace()
        let features = workspace.data!.train.featureCount
        let teacherBefore = try workspace.variants.variant(named: "teacher").model.parameter(named: "fc1.weight").value
        var options = quickOptions()
        options.labeled = .fraction(0.25)
        let report = try XCTUnwrap(workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-6-3"), options: options).distillation)
        XCTAssertEqual(workspace.variants.names, ["teacher", "student", "student-scratch"])
        XCTAssertEqual(workspace.variants.currentName, "teacher", "the current model stays current")
        XCTAssertEqual(try workspace.variants.variant(named: "teacher").model.parameter(named: "fc1.weight").value, teacherBefore)
        XCTAssertEqual(report.distilledName, "student")
        XCTAssertEqual(report.scratchName, "student-scratch")
        XCTAssertEqual(report.transferCount, 180)
        XCTAssertEqual(report.labeledCount, 45)
        XCTAssertEqual(report.seeds[0].labeledIndices.count, 45)
        XCTAssertTrue(report.example.isLabeled, "the default sample is the first labeled one")
        XCTAssertEqual(report.example.sampleIndex, report.seeds[0].labeledIndices[0])
        XCTAssertNotNil(report.example.klAfter)

        // Same budget: as many updates for the student from scratch as for the distilled one.
        let seed = report.seeds[0]
        let distilledUpdates = seed.distillation.steps, scratchUpdates = try XCTUnwrap(seed.scratch).updates
        XCTAssertEqual(distilledUpdates, 3 * 6)                 // 180 samples in batches of 32
        XCTAssertEqual(scratchUpdates, 18)                       // 9 epochs of 2 batches over 45 samples
        XCTAssertEqual(seed.distillation.epochs.count, 3)
        XCTAssertNotNil(seed.distillation.epochs[0].hard)

        let distilled = try workspace.variants.variant(named: "student")
        XCTAssertEqual(distilled.model.completedEpochs, 3)
        XCTAssertTrue(distilled.origin.hasPrefix("distilled from teacher (T=4, α=0.7, 45 labels)"), distilled.origin)
        XCTAssertEqual(distilled.lastTestAccuracy, seed.distilledAccuracy)
        let scratch = try workspace.variants.variant(named: "student-scratch")
        XCTAssertEqual(try scratch.model.accuracy(on: workspace.data!.test, pool: workspace.pool), seed.scratch?.accuracy)

        // A second run picks the next free names.
        options.comparesWithScratch = false
        let again = try XCTUnwrap(workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-6-3"), options: options).distillation)
        XCTAssertEqual(again.distilledName, "student-2")
        XCTAssertNil(again.scratchName)
        XCTAssertEqual(workspace.variants.names.last, "student-2")
    }

    func testSameSeedGivesBitIdenticalStudentsOnAnyThreadCount() throws {
        var weights: [[Float]] = []
        for threads in [1, 2] {
            let workspace = try workspace(threads: threads)
            let features = workspace.data!.train.featureCount
            var options = quickOptions()
            options.seeds = [3, 4]
            options.labeled = .count(30)
            let report = try XCTUnwrap(workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-16-3"), options: options).distillation)
            XCTAssertEqual(report.seeds.map(\.seed), [3, 4])
            XCTAssertNotEqual(report.seeds[0].labeledIndices, report.seeds[1].labeledIndices)
            weights.append(try workspace.variants.variant(named: "student").model.parameter(named: "fc1.weight").value.scalars)
        }
        XCTAssertEqual(weights[0], weights[1])
    }

    func testPrunedStudentKeepsItsZerosAndItsSourceUnchanged() throws {
        let workspace = try workspace()
        var pruning = MagnitudePruningOptions(sparsity: 0.5)
        pruning.scope = .layer
        try workspace.pruneMagnitude("teacher", options: pruning, name: "pruned")
        let before = try workspace.variants.variant(named: "pruned").model
        let zerosBefore = before.parameterCount - before.nonZeroParameterCount
        let report = try XCTUnwrap(workspace.distill(teacher: "teacher", student: .variant("pruned"), options: quickOptions()).distillation)
        XCTAssertEqual(report.scratchName, "student-hard")
        XCTAssertTrue(report.notes.contains { $0.contains("pruned") }, "\(report.notes)")
        let distilled = try workspace.variants.variant(named: "student").model
        XCTAssertGreaterThanOrEqual(distilled.parameterCount - distilled.nonZeroParameterCount, zerosBefore)
        let after = try workspace.variants.variant(named: "pruned").model
        XCTAssertEqual(try after.parameter(named: "fc1.weight").value, try before.parameter(named: "fc1.weight").value)
    }

    func testQuantizedStudentStaysQuantizedWithANote() throws {
        let workspace = try workspace()
        let data = workspace.data!
        let source = try workspace.variants.variant(named: "teacher").model
        let run = try PostTrainingQuantization.run(source, options: QuantizationOptions(bits: 8, granularity: .channel),
                                                   calibrationData: data.train.features, pool: workspace.pool)
        try workspace.variants.add(Variant(name: "int8", model: run.variant, origin: "test"))
        let report = try XCTUnwrap(workspace.distill(teacher: "teacher", student: .variant("int8"), options: quickOptions()).distillation)
        XCTAssertTrue(report.notes.contains { $0.contains("quantized kernels") }, "\(report.notes)")
        // The student learns Float weights; its int8 engine is derived from them, with the
        // source's weight specs and activation grids.
        let distilled = try workspace.variants.variant(named: "student").model
        let engine = try XCTUnwrap(distilled.inferenceEngine as? Int8Network)
        let fc1 = try distilled.parameter(named: "fc1.weight").value
        XCTAssertNotEqual(fc1, try run.variant.parameter(named: "fc1.weight").value, "distillation trained the student")
        XCTAssertEqual(engine.stages[0].weight.dequantized(),
                       try QuantizedTensor.quantize(fc1, spec: engine.stages[0].weight.spec).quantized.dequantized())
        XCTAssertEqual(engine.input.parameters, run.engine?.input.parameters)
        XCTAssertNotNil(try workspace.variants.variant(named: "int8").model.inferenceEngine, "the source stays quantized")
    }

    func testAStopRequestEndsTheRunWithoutAddingAnything() throws {
        let workspace = try workspace()
        let features = workspace.data!.train.featureCount
        workspace.stop.request()
        defer { workspace.stop.reset() }
        XCTAssertThrowsError(try workspace.distill(teacher: "teacher", student: .architecture("mlp \(features)-6-3"),
                                                   options: quickOptions())) { error in
            XCTAssertEqual(error as? DistillationError, .interrupted)
        }
        XCTAssertEqual(workspace.variants.names, ["teacher"])
        XCTAssertNil(workspace.lastDistillation)
    }

    func testAConvolutionalStudentLearnsFromAnMLPTeacher() throws {
        let workspace = Workspace(threads: 1)
        let digits = try DatasetCatalog.standard().load("digits")
        workspace.data = try digits.subset(Array(0..<300)).split(testFraction: 0.25, seed: 0)
        try workspace.newModel("mlp 64-32-10", name: "teacher")
        var training = workspace.trainingDefaults
        training.epochs = 3
        try workspace.train(data: workspace.data!, options: training)
        let report = try XCTUnwrap(workspace.distill(teacher: "teacher", student: .architecture("cnn"), options: quickOptions(epochs: 1)).distillation)
        XCTAssertEqual(report.studentArchitecture, "cnn")
        XCTAssertEqual(try workspace.variants.variant(named: "student").model.inputShape, [1, 8, 8])
    }
}
