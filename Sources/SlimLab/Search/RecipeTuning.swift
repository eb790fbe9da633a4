import SlimKernels

/// Fine-tuning under a recipe: the pruned weights stay zero (their masks), and every quantized
/// layer computes with its weights on the recipe's grid, so training sees the model that
/// `CompressionRecipe.apply` will store; gradients pass the rounding by the straight-through
/// estimator. The grids (least-squares scales, ``LeastSquaresScales``) are fitted again from
/// the weights before every epoch, and once more when the recipe is applied at the end.
public struct RecipeTuning {
    /// Adam at this constant rate, without weight decay: the weights should stay near the
    /// trained model's. Measured on the edge search of LeNet-300-100 on Fashion-MNIST (trained
    /// at 0.001 with a cosine decay): at 0.001 or 0.0003 the first epoch loses validation
    /// accuracy (89.92 % → 87.27 % and 89.85 %), at 0.0001 it recovers (→ 90.75 %); on the
    /// digits MLP squeezed to 2 bits, 0.0001 recovers too (97.04 % → 97.41 % in two epochs).
    public static let learningRate: Float = 0.0001

    public let recipe: CompressionRecipe
    /// The float model being fine-tuned, masks and grids set.
    public private(set) var model: Model

    /// Prepares `source` for fine-tuning under `recipe`.
    public init(recipe: CompressionRecipe, source: Model) throws {
        self.recipe = recipe
        var model = try recipe.pruned(source)
        model.inferenceEngine = nil
        self.model = model
        try fitGrids()
    }

    /// One epoch over `rows` (seeded by `seed` and the model's epoch count), then the grids
    /// fitted again. Returns false when `stop` interrupted it (the weights then hold the last
    /// completed batch).
    public mutating func epoch(on rows: Dataset, seed: UInt64, pool: ComputePool, stop: StopSignal?) throws -> Bool {
        var options = TrainingOptions()
        options.epochs = 1
        options.learningRate = Self.learningRate
        options.weightDecay = 0
        options.schedule = .constant
        options.seed = seed
        options.evaluatesEachEpoch = false
        let empty = rows.subset([])
        let split = DatasetSplit(train: rows, test: empty,
                                 normalization: Normalization(method: .none, shift: [Float](repeating: 0, count: rows.featureCount),
                                                              scale: [Float](repeating: 1, count: rows.featureCount)),
                                 rawTrainFeatures: rows.features, rawTestFeatures: empty.features)
        let report = try Trainer.train(&model, on: split, options: options, pool: pool, stop: stop)
        try fitGrids()
        return !report.stopped
    }

    /// The compressed model from the weights as they are now.
    public func compressed() throws -> Model {
        var plain = model
        for (index, layer) in plain.layers.enumerated() {
            guard var dense = layer as? Dense, dense.weightTransform != nil else { continue }
            dense.weightTransform = nil
            try plain.replaceLayer(at: index, with: dense)
        }
        return try recipe.apply(to: plain)
    }

    /// Sets each quantized layer's grid from its current weights.
    private mutating func fitGrids() throws {
        let bits = Dictionary(recipe.settings.map { ($0.layer, $0.bits) }, uniquingKeysWith: { a, _ in a })
        for (index, layer) in model.layers.enumerated() {
            guard var dense = layer as? Dense, let width = bits[dense.name], width < 32 else { continue }
            dense.weightTransform = FixedGridFakeQuantization(
                bits: width, grids: try LeastSquaresScales.parameters(for: dense.weight, bits: width))
            try model.replaceLayer(at: index, with: dense)
        }
    }
}

/// Fake quantization on given per-channel grids (symmetric): the forward product uses
/// ŵ = s·clamp(round(w/s)), the backward pass the straight-through estimator.
struct FixedGridFakeQuantization: WeightTransform {
    let bits: Int
    let grids: [QuantizationParameters]

    var label: String { "fake-quant int\(bits) symmetric per-channel (least-squares scales)" }

    func transformed(_ weight: Tensor<Float>) -> Tensor<Float> {
        guard let first = grids.first, grids.count == weight.shape.first else { return weight }
        return weight.fakeQuantizedPerChannel(scales: grids.map(\.scale), zeroPoints: grids.map { Int32($0.zeroPoint) },
                                              qmin: Int32(first.range.qmin), qmax: Int32(first.range.qmax))
    }

    func gradient(_ transformedGradient: Tensor<Float>, weight: Tensor<Float>) -> Tensor<Float> {
        grids.isEmpty ? transformedGradient : straightThrough(transformedGradient, input: weight, grids: grids)
    }
}
