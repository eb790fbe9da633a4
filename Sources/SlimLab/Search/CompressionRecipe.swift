import SlimKernels

/// How one Dense layer is compressed: a magnitude-pruning sparsity, then symmetric per-channel
/// weight quantization to `bits` (32: the weights stay fp32).
public struct LayerSetting: Sendable, Hashable {
    public var layer: String
    public var sparsity: Double
    public var bits: Int

    public init(layer: String, sparsity: Double = 0, bits: Int = 32) {
        self.layer = layer
        self.sparsity = sparsity
        self.bits = bits
    }

    /// `int4 50%`, `fp32`, `fp32 25%`.
    public var label: String {
        let width = bits == 32 ? "fp32" : "int\(bits)"
        return sparsity == 0 ? width : "\(width) \(Int((sparsity * 100).rounded()))%"
    }
}

/// A per-layer compression of a model: one setting per Dense layer, in model order. Applied to
/// a trained float model it gives a variant whose stored size is what a search budgets.
public struct CompressionRecipe: Sendable, Hashable {
    public var settings: [LayerSetting]

    public init(settings: [LayerSetting]) { self.settings = settings }

    /// Every Dense layer of `model` at the same setting.
    public static func uniform(_ model: Model, sparsity: Double, bits: Int) -> CompressionRecipe {
        CompressionRecipe(settings: model.layers.compactMap { $0 as? Dense }.map {
            LayerSetting(layer: $0.name, sparsity: sparsity, bits: bits)
        })
    }

    /// `fc1 int4 50% · fc2 int8`.
    public var label: String { settings.map { "\($0.layer) \($0.label)" }.joined(separator: " · ") }

    /// A copy of `model` compressed as the recipe says: each layer pruned by magnitude within
    /// itself, then its (pruned) weights quantized per channel, symmetric, so that the zeros
    /// stay exact zeros, with scales of the least squared error (``LeastSquaresScales``). A
    /// layer is stored in whichever of dense codes or CSR of codes is smaller
    /// (`SparseCodesDenseKernel`); fp32 layers that are pruned use the CSR kernel when it is
    /// smaller. The source's inference engine, if any, is dropped.
    public func apply(to model: Model) throws -> Model {
        var cache = LayerCache()
        return try apply(to: model, cache: &cache)
    }

    /// Compressed layers by setting, for applying many recipes to one model: each layer is
    /// compressed on its own, so a recipe that changes one layer reuses the others.
    public typealias LayerCache = [LayerSetting: Dense]

    /// `apply(to:)` through `cache`, which must only ever hold layers of this same `model`.
    public func apply(to model: Model, cache: inout LayerCache) throws -> Model {
        var result = model
        result.inferenceEngine = nil
        let byName = Dictionary(settings.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, layer) in model.layers.enumerated() {
            guard let dense = layer as? Dense, let setting = byName[dense.name] else { continue }
            let compressed = try cache[setting] ?? Self.compress(dense, setting)
            cache[setting] = compressed
            try result.replaceLayer(at: index, with: compressed)
        }
        return result
    }

    /// A copy of `model` with each layer pruned by magnitude within itself to the recipe's
    /// sparsity (masks set; existing masks kept), weights otherwise as they were.
    public func pruned(_ model: Model) throws -> Model {
        var result = model
        let byName = Dictionary(settings.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, layer) in model.layers.enumerated() {
            guard let dense = layer as? Dense, let setting = byName[dense.name], setting.sparsity > 0 else { continue }
            try result.replaceLayer(at: index, with: try Self.pruned(dense, sparsity: setting.sparsity))
        }
        return result
    }

    /// `dense` pruned to `sparsity` by magnitude (an existing mask is kept: both apply).
    static func pruned(_ dense: Dense, sparsity: Double) throws -> Dense {
        var dense = dense
        let name = "\(dense.name).weight"
        guard let mask = try MagnitudePruning.masks(for: [NamedTensor(name: name, value: dense.weight)],
                                                    sparsity: sparsity, scope: .layer).masks.first?.value else { return dense }
        dense.parameters[0].mask = dense.parameters[0].mask.map { MagnitudePruning.apply($0, to: mask) } ?? mask
        dense.parameters[0].applyMask()
        return dense
    }

    /// One layer compressed as `setting` says.
    static func compress(_ dense: Dense, _ setting: LayerSetting) throws -> Dense {
        var dense = setting.sparsity > 0 ? try pruned(dense, sparsity: setting.sparsity) : dense
        dense.weightTransform = nil
        dense.inferenceKernel = nil
        if setting.bits < 32 {
            let quantized = try LeastSquaresScales.quantize(dense.weight, bits: setting.bits, name: "\(dense.name).weight")
            let kernel = SparseCodesDenseKernel(layerName: dense.name, quantized: quantized)
            dense.parameters[0].value = kernel.weight
            dense.inferenceKernel = kernel
        } else if setting.sparsity > 0 {
            let kernel = CSRDenseKernel(weightName: "\(dense.name).weight", weight: dense.weight,
                                        mask: dense.parameters[0].mask, runsSparse: false)
            if kernel.matrix.byteCount < kernel.matrix.denseByteCount { dense.inferenceKernel = kernel }
        }
        return dense
    }
}
