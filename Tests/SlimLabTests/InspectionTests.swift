import XCTest
import SlimKernels
@testable import SlimLab

final class InspectionTests: XCTestCase {
    let pool = ComputePool(threads: 1)

    /// y = [x0, x1, 0.5] + ReLU in between: class 0 when x0 is largest, 1 when x1, else 2.
    func handMadeModel() throws -> Model {
        try Model(inputShape: [2], layers: [
            Dense(name: "fc1", weight: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]), bias: Tensor(shape: [2], scalars: [0, 0])),
            ReLU(name: "relu1"),
            Dense(name: "fc2", weight: Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 0, 0]),
                  bias: Tensor(shape: [3], scalars: [0, 0, 0.5])),
        ])
    }

    func dataset(_ rows: [[Float]], _ labels: [Int]) -> Dataset {
        Dataset(name: "tiny", features: Tensor(shape: [rows.count, 2], scalars: rows.flatMap { $0 }), labels: labels,
                sampleShape: [2], featureNames: ["a", "b"], classNames: ["zero", "one", "two"])
    }

    func testEvaluationConfusionMatrixAndPerClassAccuracy() throws {
        // Predictions: 0, 1, 2, 0, 2  for labels 0, 1, 1, 2, 2.
        let data = dataset([[2, 1], [0, 3], [0, 0], [4, 0], [-1, -1]], [0, 1, 1, 2, 2])
        let evaluation = try handMadeModel().evaluate(on: data, pool: pool, batchSize: 2)
        XCTAssertEqual(evaluation.confusion, [[1, 0, 0], [0, 1, 1], [1, 0, 1]])
        XCTAssertEqual(evaluation.accuracy, 3.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(evaluation.perClassAccuracy, [1, 0.5, 0.5])
        XCTAssertEqual(evaluation.classCounts, [1, 2, 2])
        XCTAssertEqual(evaluation.sampleCount, 5)
        XCTAssertGreaterThan(evaluation.loss, 0)
    }

    func testEvaluationRejectsMismatchedData() throws {
        let wrong = Dataset(name: "wide", features: .zeros([1, 3]), labels: [0], sampleShape: [3],
                            featureNames: ["a", "b", "c"], classNames: ["x", "y", "z"])
        XCTAssertThrowsError(try handMadeModel().evaluate(on: wrong, pool: pool)) { error in
            XCTAssertEqual("\(error)", "the model takes 2 features per sample (mlp 2-2-3), but the data 'wide' has 3")
        }
    }

    func testPredictionProbabilitiesAndErrors() throws {
        let data = dataset([[1, 3]], [1])
        let prediction = try handMadeModel().predict(sample: 0, of: data, pool: pool)
        XCTAssertEqual(prediction.logits, [1, 3, 0.5])
        XCTAssertEqual(prediction.probabilities.reduce(0, +), 1, accuracy: 1e-6)
        let e = [exp(1.0), exp(3.0), exp(0.5)], total = e.reduce(0, +)
        for j in 0..<3 { XCTAssertEqual(Double(prediction.probabilities[j]), e[j] / total, accuracy: 1e-6) }
        XCTAssertEqual(prediction.predictedClass, 1)
        XCTAssertEqual(prediction.isCorrect, true)
        XCTAssertEqual(prediction.ranking, [1, 0, 2])
        XCTAssertThrowsError(try handMadeModel().predict(sample: 1, of: data, pool: pool)) { error in
            XCTAssertEqual("\(error)", "sample 1 does not exist: 'tiny' has samples 0 to 0")
        }
    }

    func testTraceKeepsEveryLayerOutput() throws {
        let data = dataset([[-1, 2]], [1])
        let trace = try handMadeModel().trace(sample: 0, of: data, variantName: "hand", pool: pool)
        XCTAssertEqual(trace.activationNames, ["input", "fc1.out", "relu1.out", "fc2.out"])
        XCTAssertEqual(trace.activation(named: "fc1.out")?.value.scalars, [-1, 2])
        XCTAssertEqual(trace.activation(named: "relu1.out")?.value.scalars, [0, 2])
        XCTAssertEqual(trace.logits, [0, 2, 0.5])
        XCTAssertEqual(trace.prediction.predictedClass, 1)
        XCTAssertEqual(trace.steps.map(\.kind), ["dense", "relu", "dense"])
        XCTAssertNil(trace.activation(named: "fc3.out"))
    }

    func testCNNTraceHasImageShapedActivations() throws {
        var generator = SeededGenerator(seed: 0)
        let model = try ModelArchitecture.cnn().makeModel(generator: &generator)
        let data = Dataset(name: "img", features: .zeros([2, 64]), labels: [0, 1], sampleShape: [1, 8, 8],
                           featureNames: (0..<64).map { "p\($0)" }, classNames: (0..<10).map(String.init))
        let trace = try model.trace(sample: 1, of: data, variantName: "cnn", pool: pool)
        XCTAssertEqual(trace.input.value.shape, [1, 1, 8, 8])
        XCTAssertEqual(trace.activation(named: "conv1.out")?.value.shape, [1, 16, 8, 8])
        XCTAssertEqual(trace.activation(named: "flatten.out")?.value.shape, [1, 128])
    }

    func testTensorStatistics() {
        let stats = TensorStatistics(name: "t", tensor: Tensor(shape: [5], scalars: [0, 1, 2, 3, 0]), bins: 3)
        XCTAssertEqual(stats.minimum, 0)
        XCTAssertEqual(stats.maximum, 3)
        XCTAssertEqual(stats.mean, 1.2, accuracy: 1e-6)
        XCTAssertEqual(stats.standardDeviation, Float(1.16619), accuracy: 1e-4)
        XCTAssertEqual(stats.zeroCount, 2)
        XCTAssertEqual(stats.zeroFraction, 0.4)
        XCTAssertEqual(stats.histogram.counts, [2, 1, 2])
        let constant = TensorStatistics(name: "c", tensor: Tensor(shape: [4], repeating: 2), bins: 4)
        XCTAssertEqual(constant.histogram.total, 4)
        XCTAssertEqual(constant.standardDeviation, 0)
    }

    func testWorkspaceShowsParametersAndTracedActivations() throws {
        let workspace = Workspace(threads: 1)
        try workspace.variants.add(Variant(name: "hand", model: try handMadeModel(), origin: "by hand"))
        let weight = try workspace.inspectTensor("fc2.weight")
        XCTAssertEqual(weight.source, .parameter(variant: "hand"))
        XCTAssertEqual(weight.statistics.shape, [3, 2])
        XCTAssertEqual(weight.statistics.zeroCount, 4)
        XCTAssertThrowsError(try workspace.inspectTensor("relu1.out")) { error in
            XCTAssertEqual("\(error)", "relu1.out is an activation: it exists after a sample goes through the model; run 'trace I hand' first")
        }
        XCTAssertThrowsError(try workspace.inspectTensor("fc9.weight")) { error in
            XCTAssertTrue("\(error)".hasPrefix("no tensor named 'fc9.weight'; this model has: fc1.weight, fc1.bias"), "\(error)")
        }
        try workspace.trace(sample: 0, of: dataset([[-1, 2]], [1]))
        let relu = try workspace.inspectTensor("relu1.out")
        XCTAssertEqual(relu.value.scalars, [0, 2])
        XCTAssertEqual(relu.source, .activation(variant: "hand", dataset: "tiny", sample: 0))
        XCTAssertEqual(workspace.tensorNames(), ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                                                 "input", "fc1.out", "relu1.out", "fc2.out"])
    }

    func testSoftmaxAndCrossEntropyFormulasCarryTheTracedNumbers() throws {
        let workspace = Workspace(threads: 1)
        XCTAssertNotNil(workspace.formulaSheet(.softmax).hint)
        try workspace.variants.add(Variant(name: "hand", model: try handMadeModel(), origin: "by hand"))
        try workspace.trace(sample: 0, of: dataset([[1, 3]], [1]))
        let softmax = workspace.formulaSheet(.softmax)
        XCTAssertNil(softmax.hint)
        XCTAssertEqual(softmax.context, "sample 0 of tiny through hand (the last trace)")
        XCTAssertEqual(softmax.worked.count, 2 + 3)
        XCTAssertEqual(softmax.worked[0].rendered(), "m = max_k z_k = 3")
        let e = [exp(-2.0), exp(0.0), exp(-2.5)], total = e.reduce(0, +)
        XCTAssertEqual(softmax.worked[3].rendered(digits: 4),
                       "p₁ = e^(z₁ − m) / S = e^(3 − 3) / \(formatReal(total, digits: 4)) = \(formatReal(1 / total, digits: 4))")
        let crossEntropy = workspace.formulaSheet(.crossEntropy)
        XCTAssertEqual(crossEntropy.worked.first?.rendered(digits: 4),
                       "L = −log p₁   (true class 1: one) = −log \(formatReal(1 / total, digits: 4)) = \(formatReal(log(total), digits: 4))")
        let relu = workspace.formulaSheet(.relu)
        XCTAssertEqual(relu.worked.map { $0.rendered() },
                       ["relu1.out[0] = max(0, fc1.out[0]) = max(0, 1) = 1", "relu1.out[1] = max(0, fc1.out[1]) = max(0, 3) = 3"])
        let dense = workspace.formulaSheet(.dense)
        XCTAssertEqual(dense.worked.first?.rendered(),
                       "fc2: y₁ = Σᵢ W₁ᵢ·xᵢ + b₁   (2 terms; output 1 is the largest) = 0·1 + 1·3 + 0 = 3 + 0 = 3")
        XCTAssertEqual(e.count, 3)
    }

    func testOptimizerFormulasUseTheLastUpdate() throws {
        let update = UpdateExample(optimizer: .sgd, parameter: "fc1.weight", index: 0, step: 2, learningRate: 0.1,
                                   weightBefore: 0.94, gradient: 0.5, weightDecay: 0.1, momentum: 0.5, beta1: 0.9,
                                   beta2: 0.999, epsilon: 1e-8, firstMomentBefore: 0.6, secondMomentBefore: 0,
                                   firstMoment: 0.894, secondMoment: 0, weightAfter: 0.8506)
        let sheet = FormulaSheet.make(.sgd, inputs: FormulaInputs(update: update))
        XCTAssertEqual(sheet.worked.map { $0.rendered() }, [
            "g′ = g + λ·w = 0.5 + 0.1·0.94 = 0.594",
            "v ← μ·v + g′ = 0.5·0.6 + 0.594 = 0.894",
            "w ← w − η·v = 0.94 − 0.1·0.894 = 0.8506",
        ])
        XCTAssertEqual(sheet.context, "fc1.weight[0] at update 2 of the last training")
        let adam = FormulaSheet.make(.adam, inputs: FormulaInputs(update: update))
        XCTAssertTrue(adam.worked.isEmpty)
        XCTAssertEqual(adam.hint, "the last training used sgd; train with optimizer=adam to see these numbers")
    }

    func testAdamFormulaMatchesAnActualStep() throws {
        var model = try handMadeModel()
        var options = TrainingOptions()
        options.weightDecay = 0.01
        var optimizer = Optimizer(options: options)
        try model.updateParameter(named: "fc1.weight") { $0.gradient = Tensor(shape: [2, 2], scalars: [0.25, 0, 0, 0]) }
        optimizer.step(&model, learningRate: 0.003)
        let update = try XCTUnwrap(optimizer.lastUpdate)
        let sheet = FormulaSheet.make(.adam, inputs: FormulaInputs(update: update))
        XCTAssertEqual(sheet.worked.count, 6)
        XCTAssertEqual(sheet.worked[0].rendered(), "g′ = g + λ·w = 0.25 + 0.01·1 = 0.26")
        XCTAssertEqual(sheet.worked[5].rendered(digits: 4),
                       "w ← w − η·m̂ / (√v̂ + ε) = 1 − 0.003·0.26 / (√0.0676 + 1e-08) = 0.997")
    }

    func testEveryFormulaTopicHasOneSheetAndSharesItsRulesWithTheSteps() {
        for topic in FormulaTopic.allCases {
            let sheet = FormulaSheet.make(topic, inputs: FormulaInputs())
            XCTAssertEqual(sheet.topic, topic)
            XCTAssertEqual(sheet.title, topic.title)
            XCTAssertFalse(sheet.definitions.isEmpty, topic.rawValue)
            XCTAssertTrue(sheet.hint != nil || !sheet.worked.isEmpty, "\(topic.rawValue): numbers or a hint how to get them")
        }
        // The rules a technique's steps set apart are the sheets' own lines.
        XCTAssertTrue(FormulaSheet.make(.prune, inputs: FormulaInputs()).definitions
            .contains { $0.hasPrefix(MagnitudePruning.maskDefinition + " ") })
        XCTAssertTrue(FormulaSheet.make(.schedule, inputs: FormulaInputs()).definitions
            .contains { $0.contains(SparsitySchedule.gradualRule) })
        XCTAssertTrue(FormulaSheet.make(.kd, inputs: FormulaInputs()).definitions[0].hasPrefix(DistillationLoss.rule))
        // Quantization's topics are in the same registry, worked with the model given.
        let model = try? handMadeModel()
        let quantize = FormulaSheet.make(.quantize, inputs: FormulaInputs(model: model, modelName: "m"))
        XCTAssertEqual(quantize.groups.count, 2, "\(quantize.groups)")
        XCTAssertNil(quantize.groups.first?.heading)
        XCTAssertTrue(quantize.groups.last?.heading?.hasPrefix("one weight, fc1.weight[") == true, "\(quantize.groups)")
        XCTAssertEqual(quantize.context, "fc1.weight of m, int8 symmetric per tensor")
    }
}
