import SlimKernels

/// One row of a search's trace: the move taken in a round and where it left the model.
public struct SearchStep: Sendable, Equatable {
    public var round: Int
    /// The layer moved (nil for the starting point).
    public var layer: String?
    /// `start`, `bits 32→8`, `sparsity 0%→25%`.
    public var move: String
    public var bytes: Int
    public var validationAccuracy: Double
    public var validationLoss: Double
}

/// A recipe with its size and its validation accuracy and loss.
public struct EvaluatedRecipe: Sendable, Equatable {
    public var recipe: CompressionRecipe
    public var bytes: Int
    public var validationAccuracy: Double
    /// Mean cross-entropy on the validation set: it keeps ranking steps where accuracy has
    /// nothing left to show (every validation sample still right).
    public var validationLoss: Double

    /// Better on validation: higher accuracy, then lower loss.
    func isBetter(than other: EvaluatedRecipe) -> Bool {
        (validationAccuracy, -validationLoss) > (other.validationAccuracy, -other.validationLoss)
    }
}

/// A deterministic, accuracy-aware search over per-layer sparsity and code width, judged on a
/// validation set (never the test set). Every candidate step of every layer is measured on the
/// validation set each round — its sensitivity: the validation loss it adds per byte it saves —
/// and the ranking of those measurements picks the step, so the layers that tolerate
/// compression take most of it. Steps that keep validation accuracy within `maxDrop` of the
/// float model's go first; a step that reaches the budget is chosen by its validation result.
public struct RecipeSearch {
    public let model: Model
    public let validation: Dataset
    public let options: SearchOptions
    public let pool: ComputePool
    public let stop: StopSignal?
    /// The rows fine-tuning trains on (never the validation rows); nil: no fine-tuning.
    public let tuning: Dataset?
    /// Seeds the fine-tuning's shuffles.
    public let seed: UInt64
    private var cache: [CompressionRecipe: EvaluatedRecipe] = [:]
    /// Compressed layers of `model` by setting, while they take less than `layerCacheLimit`.
    private var layerCache = CompressionRecipe.LayerCache()
    private static let layerCacheLimit = 256 << 20
    private var floatAccuracy = 0.0

    public init(model: Model, validation: Dataset, tuning: Dataset? = nil, options: SearchOptions, pool: ComputePool,
                seed: UInt64 = 0, stop: StopSignal? = nil) {
        self.model = model
        self.validation = validation
        self.tuning = tuning
        self.options = options
        self.pool = pool
        self.seed = seed
        self.stop = stop
    }

    /// The outcome: the trace, the best recipe within the budget (or the smallest found), and
    /// the uniform recipe with the same budget.
    public struct Outcome: Sendable {
        public var budgetBytes: Int
        public var start: EvaluatedRecipe
        public var trace: [SearchStep]
        public var best: EvaluatedRecipe
        /// The compressed model of `best` (fine-tuned when `tunedEpochs` > 0).
        public var model: Model
        public var uniform: EvaluatedRecipe?
        /// The compressed model of `uniform` (fine-tuned as long as the search's result was).
        public var uniformModel: Model?
        /// True when the uniform recipe scored higher than the searched one and was kept
        /// (`best` and `model` are then the uniform recipe's).
        public var keptUniform: Bool
        /// The search's own result, whether or not it was kept (fine-tuned as `best` was).
        public var searched: EvaluatedRecipe
        public var searchedModel: Model
        /// Epochs of fine-tuning the result (and the uniform recipe) got: 0 when the search
        /// met max-drop without it.
        public var tunedEpochs: Int
    }

    public mutating func run() throws -> Outcome {
        let layers = model.layers.compactMap { $0 as? Dense }.map(\.name)
        guard !layers.isEmpty else { throw SearchError.noDenseLayers }
        let float = try evaluate(CompressionRecipe(settings: layers.map { LayerSetting(layer: $0) }))
        let budget = options.budget.bytes(forFloatBytes: float.bytes)
        floatAccuracy = float.validationAccuracy
        var uniform = try bestUniform(budget: budget)
        var trace: [SearchStep] = []
        var current: EvaluatedRecipe
        switch options.strategy {
        case .greedy:
            current = float
            trace.append(SearchStep(round: 0, layer: nil, move: "start (fp32)", bytes: current.bytes,
                                    validationAccuracy: current.validationAccuracy, validationLoss: current.validationLoss))
            while current.bytes > budget {
                guard let step = try bestStep(from: current, compress: true, budget: budget) else { break }
                current = step.result
                trace.append(SearchStep(round: trace.count, layer: step.layer, move: step.move, bytes: current.bytes,
                                        validationAccuracy: current.validationAccuracy, validationLoss: current.validationLoss))
            }
        case .fallback:
            // The fewest bits everywhere, with the least uniform sparsity that fits the budget
            // (the most compressed recipe when none does).
            var bottom = CompressionRecipe(settings: [])
            for sparsity in options.sparsities {
                bottom = CompressionRecipe(settings: layers.map {
                    LayerSetting(layer: $0, sparsity: sparsity, bits: options.bits.last!)
                })
                current = try evaluate(bottom)
                if current.bytes <= budget { break }
            }
            current = try evaluate(bottom)
            trace.append(SearchStep(round: 0, layer: nil, move: "start (\(bottom.settings[0].label) everywhere)",
                                    bytes: current.bytes, validationAccuracy: current.validationAccuracy, validationLoss: current.validationLoss))
        }
        // Give back compression where it helps and the budget allows.
        if current.bytes <= budget {
            while let step = try bestStep(from: current, compress: false, budget: budget) {
                current = step.result
                trace.append(SearchStep(round: trace.count, layer: step.layer, move: step.move, bytes: current.bytes,
                                        validationAccuracy: current.validationAccuracy, validationLoss: current.validationLoss))
            }
        }
        // Missing max-drop within the budget: fine-tune the result, epoch by epoch, until it
        // is within max-drop (the best epoch is kept); the uniform recipe gets as many epochs.
        var made = try apply(current.recipe)
        var uniformModel = try uniform.map { try apply($0.recipe) }
        var tunedEpochs = 0
        if current.bytes <= budget, !isWithinDrop(current), options.fineTuneEpochs > 0, let rows = tuning {
            let tuned = try fineTune(current, on: rows, epochs: options.fineTuneEpochs, untilWithinDrop: true)
            for (epoch, result) in tuned.epochs.enumerated() {
                trace.append(SearchStep(round: trace.count, layer: nil, move: "fine-tune epoch \(epoch + 1)", bytes: result.bytes,
                                        validationAccuracy: result.validationAccuracy, validationLoss: result.validationLoss))
            }
            (current, made, tunedEpochs) = (tuned.best, tuned.model, tuned.epochs.count)
            if let start = uniform {
                let tunedUniform = try fineTune(start, on: rows, epochs: tunedEpochs, untilWithinDrop: false)
                (uniform, uniformModel) = (tunedUniform.best, tunedUniform.model)
            }
        }
        var keptUniform = false
        let (searched, searchedModel) = (current, made)
        if let uniform, let uniformModel, uniform.bytes <= budget,
           current.bytes > budget || uniform.isBetter(than: current) {
            (current, made) = (uniform, uniformModel)
            keptUniform = true
        }
        return Outcome(budgetBytes: budget, start: float, trace: trace, best: current, model: made, uniform: uniform,
                       uniformModel: uniformModel, keptUniform: keptUniform, searched: searched,
                       searchedModel: searchedModel, tunedEpochs: tunedEpochs)
    }

    private func isWithinDrop(_ result: EvaluatedRecipe) -> Bool {
        (floatAccuracy - result.validationAccuracy) * 100 <= options.maxDrop + 1e-9
    }

    /// Fine-tunes `start`'s recipe (``RecipeTuning``) for up to `epochs` epochs on `rows`,
    /// measuring on the validation set after each; stops early once within max-drop when asked.
    /// The best measurement wins, the untuned start included.
    private mutating func fineTune(_ start: EvaluatedRecipe, on rows: Dataset, epochs: Int, untilWithinDrop: Bool) throws
        -> (best: EvaluatedRecipe, model: Model, epochs: [EvaluatedRecipe]) {
        var tuning = try RecipeTuning(recipe: start.recipe, source: model)
        var best = start, bestModel = try apply(start.recipe)
        var measured: [EvaluatedRecipe] = []
        for _ in 0..<epochs {
            guard try tuning.epoch(on: rows, seed: seed, pool: pool, stop: stop) else { throw SearchError.interrupted }
            let compressed = try tuning.compressed()
            let evaluation = try compressed.evaluate(on: validation, pool: pool)
            let result = EvaluatedRecipe(recipe: start.recipe, bytes: compressed.storedByteCount,
                                         validationAccuracy: evaluation.accuracy, validationLoss: evaluation.loss)
            measured.append(result)
            if result.isBetter(than: best) { (best, bestModel) = (result, compressed) }
            if untilWithinDrop && isWithinDrop(best) { break }
        }
        return (best, bestModel, measured)
    }

    /// The recipe applied to the model.
    public mutating func apply(_ recipe: CompressionRecipe) throws -> Model {
        // Weights, mask and dequantized codes: about 12 bytes per weight of each cached layer.
        let cached = layerCache.values.reduce(0) { $0 + 12 * $1.weight.count }
        if cached > Self.layerCacheLimit { layerCache = [:] }
        return try recipe.apply(to: model, cache: &layerCache)
    }

    private mutating func evaluate(_ recipe: CompressionRecipe) throws -> EvaluatedRecipe {
        if let known = cache[recipe] { return known }
        if stop?.isRequested == true { throw SearchError.interrupted }
        let compressed = try apply(recipe)
        let evaluation = try compressed.evaluate(on: validation, pool: pool)
        let evaluated = EvaluatedRecipe(recipe: recipe, bytes: compressed.storedByteCount,
                                        validationAccuracy: evaluation.accuracy, validationLoss: evaluation.loss)
        cache[recipe] = evaluated
        return evaluated
    }

    private struct Step {
        var layer: String
        var move: String
        var result: EvaluatedRecipe
        var score: Double
        var order: Int
        /// Compressing only: 0 reaches the budget within max-drop, 1 keeps within max-drop, 2
        /// reaches the budget beyond max-drop, 3 neither.
        var rank: Int
    }

    /// The best single step of one layer along one ladder: compressing (least accuracy lost per
    /// byte saved) or relaxing (most accuracy gained per byte spent, only while within the
    /// budget and only if it gains). A step goes to the nearest rung that changes the size (a
    /// little sparsity saves nothing until the sparse format is smaller than the dense one).
    /// Ties go to the earlier layer and dimension.
    private mutating func bestStep(from current: EvaluatedRecipe, compress: Bool, budget: Int) throws -> Step? {
        var best: Step?
        var order = 0
        for (index, setting) in current.recipe.settings.enumerated() {
            for dimension in options.dimensions {
                order += 1
                var rung = setting
                var found: (result: EvaluatedRecipe, move: String)?
                while let next = neighbour(rung, dimension, compress: compress) {
                    rung = next
                    var recipe = current.recipe
                    recipe.settings[index] = rung
                    let result = try evaluate(recipe)
                    if result.bytes != current.bytes {
                        found = (result, move(from: setting, to: rung, dimension))
                        break
                    }
                }
                guard let found else { continue }
                let result = found.result, label = found.move
                let bytesChange = Double(abs(current.bytes - result.bytes))
                var step = Step(layer: setting.layer, move: label, result: result, score: 0, order: order, rank: 0)
                if compress {
                    guard result.bytes < current.bytes else { continue }
                    // First the steps that reach the budget within max-drop (the lowest
                    // validation loss wins: on a few hundred rows, accuracy moves by whole
                    // samples, the loss shows the margin), then the steps within max-drop (the
                    // least loss added per byte saved), then those reaching the budget beyond
                    // max-drop (the best validation result), then the rest (least loss per byte).
                    let withinDrop = isWithinDrop(result)
                    let reaches = result.bytes <= budget
                    let perByte = (max(0, result.validationLoss - current.validationLoss) + 1e-6) / bytesChange
                    switch (reaches, withinDrop) {
                    case (true, true): step.rank = 0; step.score = result.validationLoss
                    case (false, true): step.rank = 1; step.score = perByte
                    case (true, false): step.rank = 2; step.score = -(result.validationAccuracy * 1e6 - result.validationLoss)
                    case (false, false): step.rank = 3; step.score = perByte
                    }
                } else {
                    guard result.bytes <= budget, result.isBetter(than: current) else { continue }
                    step.score = -(result.validationAccuracy - current.validationAccuracy) * 1e6
                        - (current.validationLoss - result.validationLoss) / bytesChange
                }
                if best == nil || (step.rank, step.score, step.order) < (best!.rank, best!.score, best!.order) { best = step }
            }
        }
        return best
    }

    /// The next rung of `dimension`'s ladder, down (compress) or up.
    private func neighbour(_ setting: LayerSetting, _ dimension: SearchOptions.Dimension, compress: Bool) -> LayerSetting? {
        var changed = setting
        switch dimension {
        case .bits:
            let ladder = options.bits
            guard let at = ladder.firstIndex(of: setting.bits), ladder.indices.contains(compress ? at + 1 : at - 1) else { return nil }
            changed.bits = ladder[compress ? at + 1 : at - 1]
        case .sparsity:
            let ladder = options.sparsities
            guard let at = ladder.firstIndex(of: setting.sparsity), ladder.indices.contains(compress ? at + 1 : at - 1) else { return nil }
            changed.sparsity = ladder[compress ? at + 1 : at - 1]
        }
        return changed
    }

    private func move(from old: LayerSetting, to new: LayerSetting, _ dimension: SearchOptions.Dimension) -> String {
        switch dimension {
        case .bits: return "bits \(old.bits)→\(new.bits)"
        case .sparsity: return "sparsity \(Self.percent(old.sparsity))→\(Self.percent(new.sparsity))"
        }
    }

    /// The uniform recipe (one setting for every layer) that fits the budget with the most
    /// bytes, the higher validation accuracy on a tie: what one would pick without a search.
    private mutating func bestUniform(budget: Int) throws -> EvaluatedRecipe? {
        var best: EvaluatedRecipe?
        for bits in options.bits {
            for sparsity in options.sparsities {
                let result = try evaluate(.uniform(model, sparsity: sparsity, bits: bits))
                guard result.bytes <= budget else { continue }
                if let b = best, (result.bytes, result.validationAccuracy, -result.validationLoss)
                    <= (b.bytes, b.validationAccuracy, -b.validationLoss) { continue }
                best = result
            }
        }
        return best
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
}

/// Why a search could not run.
public enum SearchError: Error, CustomStringConvertible, Equatable {
    case noDenseLayers
    case interrupted
    case badBudget(String)

    public var description: String {
        switch self {
        case .noDenseLayers: return "the model has no dense layers to compress; search works on dense layers"
        case .interrupted: return "search interrupted; nothing was made"
        case let .badBudget(text):
            return "budget '\(text)' is not a size; use bytes (20000), KiB or MiB (20KiB, 1.5MiB), or a preset: \(BudgetPreset.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
