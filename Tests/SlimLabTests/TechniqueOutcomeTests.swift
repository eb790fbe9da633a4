import XCTest
import SlimKernels
@testable import SlimLab
import SlimTestSupport

/// Every technique returns one `TechniqueOutcome`: numbered steps, a summary measured the same
/// way for all (the bytes as stored, a fresh evaluation on the test rows) and the variant it
/// added, which is the one the summary describes.
final class TechniqueOutcomeTests: XCTestCase {
    private func run(_ technique: (Workspace) throws -> TechniqueOutcome) throws -> (Workspace, TechniqueOutcome) {
        let workspace = try TrainedDigits.workspace()
        return (workspace, try technique(workspace))
    }

    func testEveryTechniqueDescribesTheVariantItAdded() throws {
        var distillation = DistillationOptions()
        distillation.training.epochs = 2
        var qat = QATOptions(bits: 4)
        qat.training.epochs = 1
        let techniques: [(String, [String], (Workspace) throws -> TechniqueOutcome)] = [
            ("p80", ["Measure the weights", "Store the weights"],
             { try $0.pruneMagnitude(options: MagnitudePruningOptions(sparsity: 0.8), name: "p80") }),
            ("s25", ["Rank the neurons of fc1 by L2 norm", "Store the weights"],
             { try $0.pruneStructured(ratio: 0.25, norm: .l2, name: "s25") }),
            ("int8", ["Observe the weight ranges", "Error per layer"],
             { try $0.quantize(options: QuantizationOptions(granularity: .channel), name: "int8") }),
            ("int4-w", ["Observe the weight ranges", "Error per layer"],
             { try $0.quantize(options: QuantizationOptions(bits: 4, weightsOnly: true)) }),
            ("q8_0", ["Cut every row into blocks of 32", "Error per layer"],
             { try $0.quantize(options: QuantizationOptions(format: .q8_0)) }),
            ("qat4", ["Prepare: fake quantization in the forward pass",
                      "Convert: the learned weights and tracked ranges into the int8 engine"],
             { try $0.quantizationAwareTraining(options: qat, name: "qat4") }),
            ("kd", ["Teacher, student and data", "Distilled vs from scratch, on the test set"],
             { try $0.distill(teacher: "baseline", student: .architecture("mlp 64-16-10"), options: distillation, name: "kd") }),
            ("k8", ["Place the centroids over the weights of fc1.weight", "Check and count every tensor"],
             { try $0.cluster(options: ClusteringOptions(clusters: 8), name: "k8") }),
            ("ft", [], { try $0.finetune(options: FinetuneOptions(epochs: 1), as: "ft") }),
        ]
        for (name, ends, technique) in techniques {
            let (workspace, outcome) = try run(technique)
            let variant = try workspace.variants.variant(named: name)
            XCTAssertEqual(outcome.variant, name)
            XCTAssertEqual(outcome.source, "baseline", name)
            XCTAssertEqual(outcome.summary.variant, name)
            XCTAssertEqual(workspace.variants.currentName, "baseline", "\(name): no technique changes the current model")
            XCTAssertTrue(outcome.made?.text { _ in "" }.hasPrefix(name) == true, "\(name): the closing line names it first")
            if let first = ends.first, let last = ends.last {
                XCTAssertEqual(outcome.steps.first?.title, first, name)
                XCTAssertEqual(outcome.steps.last?.title, last, name)
            } else {
                XCTAssertTrue(outcome.steps.isEmpty, name)
                XCTAssertFalse(outcome.result.isEmpty, "\(name): fine-tuning shows its loss and masks as its result")
            }
            XCTAssertTrue(outcome.steps.allSatisfy { !$0.title.isEmpty && !$0.items.isEmpty }, name)
            // The summary is the variant's own: its bytes as stored and a fresh evaluation.
            let test = try XCTUnwrap(workspace.data?.test)
            XCTAssertEqual(outcome.summary.variantBytes, variant.model.storedByteCount, name)
            XCTAssertEqual(outcome.summary.accuracyAfter, try variant.model.accuracy(on: test, pool: workspace.pool), name)
            XCTAssertEqual(outcome.summary.accuracyBefore,
                           try TrainedDigits.variant().model.accuracy(on: test, pool: workspace.pool), name)
        }
    }

    func testResultStepsAreTheOnesBriefShows() throws {
        let (_, quantized) = try run { try $0.quantize(options: QuantizationOptions(granularity: .channel)) }
        XCTAssertEqual(quantized.steps.filter(\.isResult).map(\.title),
                       ["Calibrate the activations (percentile, 256 training rows)", "Error per layer"])
        XCTAssertEqual(quantized.facts.map(\.label), ["runs on"])
        let (_, pruned) = try run { try $0.pruneMagnitude(options: MagnitudePruningOptions(sparsity: 0.5)) }
        XCTAssertTrue(pruned.steps.allSatisfy { !$0.isResult }, "a pruning's result is its summary line")
        let (_, clustered) = try run { try $0.cluster(options: ClusteringOptions(clusters: 4)) }
        XCTAssertEqual(clustered.steps.filter(\.isResult).map(\.title), ["The codebook of fc1.weight"])
        let codebook = try XCTUnwrap(clustered.steps[2].tables.first)
        XCTAssertEqual(codebook.rows.count, 4)
        XCTAssertEqual(codebook.rows.map { $0[2].quantities }.flatMap { $0 }.reduce(0) { total, q in
            if case .count(let n) = q { return total + n } else { return total }
        }, 32 * 64, "every weight of fc1 belongs to one centroid")
    }

    func testDeepCompressionSummarizesItsFile() throws {
        var options = DeepCompressionOptions()
        options.sparsity = 0.8
        options.clusters = 8
        options.pruneEpochs = 1
        options.clusterEpochs = 1
        let (workspace, outcome) = try run { try $0.deepCompress(options: options) }
        let report = try XCTUnwrap(outcome.deepCompression)
        XCTAssertEqual(outcome.variant, "baseline-deep")
        XCTAssertNotNil(try? workspace.variants.variant(named: "baseline-deep"))
        XCTAssertEqual(outcome.summary.sourceBytes, report.baselineBytes)
        // The summary counts what 'compare' counts; the file adds its header and the tensors' names.
        XCTAssertEqual(outcome.summary.variantBytes, report.variantBytes)
        XCTAssertEqual(outcome.summary.variantBytes, try workspace.variants.variant(named: "baseline-deep").model.storedByteCount)
        XCTAssertLessThan(report.variantBytes, report.fileBytes)
        XCTAssertEqual(outcome.summary.accuracyAfter, report.reloadedAccuracy)
        XCTAssertEqual(outcome.steps.last?.isResult, true)
    }

    func testQuantizationIntoABlockFormatNoWeightFitsThrowsBeforeAddingAVariant() throws {
        let workspace = Workspace(threads: 1, seed: 0)
        try workspace.newModel("mlp 7-5-3", name: "odd")
        XCTAssertThrowsError(try workspace.quantize(options: QuantizationOptions(format: .q4_0))) { error in
            XCTAssertEqual(error as? QuantizationError, .noWeightInBlocks(format: "Q4_0", reasons: [
                "fc1.weight: rows of 7 do not split into blocks of 32", "fc2.weight: rows of 5 do not split into blocks of 32"]))
        }
        XCTAssertEqual(workspace.variants.names, ["odd"])
    }

    func testPhrasesKeepTheirNumbersAsValues() {
        let phrase: Phrase = "\(count: 1347) samples, \(percent: 0.05, digits: 1) labeled, T = \(setting: 4)"
        XCTAssertEqual(phrase.quantities, [.count(1347), .percent(0.05, digits: 1), .setting(4)])
        XCTAssertEqual(phrase.text { "<\($0)>" }.hasPrefix("<count(1347)> samples, "), true)
        XCTAssertEqual(Phrase.joined(["a", "\(count: 2)", "c"], separator: " · ").pieces,
                       [.text("a · "), .number(.count(2)), .text(" · c")])
        XCTAssertEqual("p80 from \("baseline")" as Phrase, "p80 from baseline", "adjacent texts are one piece")
        XCTAssertEqual(Phrase("").pieces, [])
    }
}
