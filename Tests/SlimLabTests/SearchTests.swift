import XCTest
import SlimKernels
@testable import SlimLab

/// `search` on the digits MLP and on LeNet-300-100 with Fashion-MNIST: it meets each budget
/// within max-drop on a validation part the model was not trained on, does at least as well as
/// the uniform recipe of the same budget, never reads the test set, and repeats itself exactly.
final class SearchTests: XCTestCase {
    private static let pool = ComputePool(threads: 2)

    /// Digits with a validation part (20 % of the training split), the MLP trained on the rest.
    private static let trained: (model: Model, split: DatasetSplit)? = {
        guard let digits = try? DatasetCatalog.standard().load("digits"),
              let split = try? digits.split(testFraction: 0.25, seed: 0, validationFraction: 0.2) else { return nil }
        var generator = SeededGenerator(seed: 0)
        guard var model = try? ModelArchitecture.mlp("64-64-10").makeModel(generator: &generator),
              (try? Trainer.train(&model, on: split, options: TrainingOptions(), pool: pool)) != nil else { return nil }
        return (model, split)
    }()

    private func baseline() throws -> (model: Model, split: DatasetSplit, validation: Dataset) {
        let (model, split) = try XCTUnwrap(Self.trained, "digits could not be loaded and trained")
        return (model, split, try XCTUnwrap(split.validation))
    }

    private func search(_ model: Model, _ split: DatasetSplit, _ options: SearchOptions) throws -> RecipeSearch.Outcome {
        var search = RecipeSearch(model: model, validation: try XCTUnwrap(split.validation), tuning: split.train,
                                  options: options, pool: Self.pool)
        return try search.run()
    }

    /// Every preset within max-drop, at least as good as the uniform recipe on validation, and
    /// the made model is what the outcome says (its bytes, its validation accuracy).
    private func checkPresets(_ model: Model, _ split: DatasetSplit, file: StaticString = #filePath, line: UInt = #line) throws {
        let validation = try XCTUnwrap(split.validation)
        for preset in BudgetPreset.allCases {
            let outcome = try search(model, split, SearchOptions(budget: .preset(preset), maxDrop: 1.0))
            XCTAssertEqual(outcome.budgetBytes, model.storedByteCount / preset.shrinkFactor, file: file, line: line)
            XCTAssertLessThanOrEqual(outcome.best.bytes, outcome.budgetBytes, "\(preset)", file: file, line: line)
            let drop = (outcome.start.validationAccuracy - outcome.best.validationAccuracy) * 100
            XCTAssertLessThanOrEqual(drop, 1.0, "\(preset): \(outcome.best.recipe.label)", file: file, line: line)
            let uniform = try XCTUnwrap(outcome.uniform)
            XCTAssertGreaterThanOrEqual(outcome.best.validationAccuracy, uniform.validationAccuracy, "\(preset)", file: file, line: line)
            XCTAssertEqual(outcome.model.storedByteCount, outcome.best.bytes, "\(preset)", file: file, line: line)
            XCTAssertEqual(try outcome.model.accuracy(on: validation, pool: Self.pool), outcome.best.validationAccuracy,
                           "\(preset)", file: file, line: line)
            if let uniformModel = outcome.uniformModel {
                XCTAssertEqual(try uniformModel.accuracy(on: validation, pool: Self.pool), uniform.validationAccuracy,
                               file: file, line: line)
            }
            // The trace ends where the result is (unless the uniform recipe was kept).
            if !outcome.keptUniform { XCTAssertEqual(outcome.trace.last?.bytes, outcome.best.bytes, file: file, line: line) }
        }
    }

    func testRecipeSizesAreTheStoredSizes() throws {
        let (model, _, _) = try baseline()
        XCTAssertEqual(model.storedByteCount, 4810 * 4)
        let int4 = try CompressionRecipe.uniform(model, sparsity: 0, bits: 4).apply(to: model)
        // fc1: 64·64 codes at 4 bits + 64 scales; fc2: 10·64 codes + 10 scales; biases fp32.
        XCTAssertEqual(int4.storedByteCount, 2048 + 256 + 320 + 40 + 74 * 4)
        let sparse = try CompressionRecipe(settings: [LayerSetting(layer: "fc1", sparsity: 0.9, bits: 8)]).apply(to: model)
        let kernel = try XCTUnwrap((sparse.layers[0] as? Dense)?.inferenceKernel as? SparseCodesDenseKernel)
        let kept = 4096 - MagnitudePruning.pruneCount(parameters: 4096, sparsity: 0.9)
        XCTAssertEqual(kernel.nonZeroCount, kept)
        XCTAssertTrue(kernel.storedAsCSR)
        XCTAssertEqual(kernel.storedWeight.byteCount, kept + 2 * kept + 4 * 65 + 4 * 64)
        XCTAssertEqual((sparse.layers[0] as? Dense)?.weight.scalars.filter { $0 == 0 }.count, 4096 - kept)
    }

    func testEachPresetIsMetWithinMaxDropAndAtLeastAsWellAsUniform() throws {
        let (model, split, _) = try baseline()
        try checkPresets(model, split)
        // The test set is never looked at: what the search made is within 3 points there too.
        let floatTest = try model.accuracy(on: split.test, pool: Self.pool)
        let edge = try search(model, split, SearchOptions(budget: .preset(.edge)))
        XCTAssertGreaterThan(try edge.model.accuracy(on: split.test, pool: Self.pool), floatTest - 0.03)
    }

    /// LeNet-300-100 on a 6,000-image stratified subset of Fashion-MNIST (600 held out for
    /// validation; the official test set untouched), trained 10 epochs: every preset is met
    /// within max-drop, beside the uniform recipe.
    func testEachPresetOnFashionMNIST() throws {
        let catalog = DatasetCatalog.standard()
        guard fileExists(atPath: catalog.installedRoot + "/fashion-mnist/t10k-labels-idx1-ubyte.gz") else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let split = try catalog.loadSplit("fashion-mnist", options: DatasetLoadOptions(count: 6000), validationFraction: 0.1)
        XCTAssertEqual(split.validation?.count, 600)
        var generator = SeededGenerator(seed: 0)
        var model = try ModelArchitecture.lenet300().makeModel(generator: &generator)
        var options = TrainingOptions()
        (options.epochs, options.learningRate, options.batchSize, options.weightDecay) = (10, 0.001, 64, 0.0005)
        options.evaluatesEachEpoch = false
        _ = try Trainer.train(&model, on: split, options: options, pool: Self.pool)
        try checkPresets(model, split)
    }

    /// A budget that only 2-bit layers meet: the result misses max-drop untuned, so it is
    /// fine-tuned epoch by epoch (traced), with its masks and bytes kept, and the uniform recipe
    /// gets as many epochs; the same seed gives the same trace.
    func testFineTuningRecoversAResultThatMissesMaxDrop() throws {
        let (model, split, validation) = try baseline()
        let options = SearchOptions(budget: .bytes(1800), maxDrop: 0.5)
        let outcome = try search(model, split, options)
        let tuned = outcome.trace.filter { $0.move.hasPrefix("fine-tune epoch") }
        XCTAssertFalse(tuned.isEmpty, "\(outcome.trace)")
        XCTAssertEqual(outcome.tunedEpochs, tuned.count)
        XCTAssertTrue(tuned.allSatisfy { $0.layer == nil && $0.bytes == outcome.best.bytes })
        let untuned = try XCTUnwrap(outcome.trace.last { !$0.move.hasPrefix("fine-tune") })
        XCTAssertGreaterThan(outcome.best.validationAccuracy, untuned.validationAccuracy)
        XCTAssertEqual(try outcome.model.accuracy(on: validation, pool: Self.pool), outcome.best.validationAccuracy)
        XCTAssertLessThanOrEqual(outcome.model.storedByteCount, 1800)
        XCTAssertEqual(try search(model, split, options).trace, outcome.trace)
        var never = options
        never.fineTuneEpochs = 0
        XCTAssertEqual(try search(model, split, never).tunedEpochs, 0)
    }

    /// Least-squares scales: never wider than max-abs, an error never above max-abs's, far below
    /// it at 2 bits; zeros stay zero codes; a channel of ±1 keeps the max-abs scale.
    func testLeastSquaresScalesBeatMaxAbsAndKeepZeros() throws {
        let (model, _, _) = try baseline()
        let weight = try XCTUnwrap(model.layers.first as? Dense).weight
        for bits in [2, 4, 8] {
            let spec = QuantizationSpec(bits: bits, scheme: .symmetric, granularity: .channel)
            let maxAbs = try QuantizedTensor.quantize(weight, spec: spec).quantized
            let fitted = try LeastSquaresScales.quantize(weight, bits: bits, name: "w")
            func error(_ q: QuantizedTensor) -> Double {
                zip(weight.scalars, q.dequantized().scalars).reduce(0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            }
            XCTAssertLessThanOrEqual(error(fitted), error(maxAbs) * 1.000001, "\(bits) bits")
            if bits == 2 { XCTAssertLessThan(error(fitted), error(maxAbs) * 0.6) }
            XCTAssertTrue(zip(fitted.parameters, maxAbs.parameters).allSatisfy { $0.scale <= $1.scale * 1.000001 })
        }
        let signs = Tensor<Float>(shape: [1, 4], scalars: [1, -1, 0, 1])
        let q = try LeastSquaresScales.quantize(signs, bits: 2, name: "s")
        XCTAssertEqual(q.parameters.first?.scale, 1)
        XCTAssertEqual(q.dequantized().scalars, [1, -1, 0, 1])
    }

    func testTraceIsDeterministicAndStrategiesDiffer() throws {
        let (model, _, validation) = try baseline()
        func trace(_ strategy: SearchOptions.Strategy) throws -> [SearchStep] {
            var search = RecipeSearch(model: model, validation: validation,
                                      options: SearchOptions(budget: .bytes(4096), strategy: strategy, fineTuneEpochs: 0),
                                      pool: Self.pool)
            return try search.run().trace
        }
        let greedy = try trace(.greedy)
        XCTAssertEqual(greedy, try trace(.greedy))
        XCTAssertEqual(greedy.first?.move, "start (fp32)")
        XCTAssertTrue(greedy.dropFirst().allSatisfy { $0.layer != nil })
        let fallback = try trace(.fallback)
        XCTAssertEqual(fallback, try trace(.fallback))
        XCTAssertNotEqual(fallback.first?.bytes, greedy.first?.bytes)
        XCTAssertLessThanOrEqual(fallback.last!.bytes, 4096)
    }

    func testBitsOnlySearchNeverPrunes() throws {
        let (model, _, validation) = try baseline()
        var search = RecipeSearch(model: model, validation: validation,
                                  options: SearchOptions(budget: .bytes(6000), dimensions: [.bits]), pool: Self.pool)
        let outcome = try search.run()
        XCTAssertTrue(outcome.best.recipe.settings.allSatisfy { $0.sparsity == 0 })
        XCTAssertLessThanOrEqual(outcome.best.bytes, 6000)
    }

    /// The outcome keeps the search's own result beside what was made: when the uniform recipe
    /// scored higher and was kept, `best` is the uniform recipe and `searched` is not, so the
    /// report can show both rows with their own numbers.
    func testSearchedResultIsKeptBesideTheUniformRecipe() throws {
        let (model, split, validation) = try baseline()
        for budget in [SearchOptions.Budget.bytes(3 * 1024), .bytes(4 * 1024), .preset(.phone)] {
            let outcome = try search(model, split, SearchOptions(budget: budget, maxDrop: 0.5))
            if outcome.keptUniform {
                let uniform = try XCTUnwrap(outcome.uniform)
                XCTAssertEqual(outcome.best, uniform)
                XCTAssertTrue(uniform.isBetter(than: outcome.searched) || outcome.searched.bytes > outcome.budgetBytes)
                XCTAssertEqual(try outcome.searchedModel.accuracy(on: validation, pool: Self.pool),
                               outcome.searched.validationAccuracy)
            } else {
                XCTAssertEqual(outcome.searched, outcome.best)
                XCTAssertEqual(try outcome.searchedModel.accuracy(on: validation, pool: Self.pool),
                               outcome.best.validationAccuracy)
            }
        }
    }
}
