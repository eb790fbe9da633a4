import SlimKernels

extension Model {
    /// The tensors pruning may touch: the weights (not biases) of every layer that has them,
    /// named model-wide (`fc1.weight`, `conv1.weight`), in layer order.
    public var prunableWeights: [NamedTensor] {
        layers.flatMap { layer in
            layer.parameters.filter { $0.role == .weight }.map { NamedTensor(name: "\(layer.name).\($0.name)", value: $0.value) }
        }
    }

    /// The masks set on prunable weights, by weight name (weights without a mask are absent).
    public var pruningMasks: [String: Tensor<Float>] {
        var masks: [String: Tensor<Float>] = [:]
        for layer in layers {
            for p in layer.parameters where p.role == .weight {
                if let mask = p.mask { masks["\(layer.name).\(p.name)"] = mask }
            }
        }
        return masks
    }

    /// A copy with `masks` set on the named weights and their pruned entries zeroed. A weight
    /// that already had a mask keeps its earlier zeros (the new mask is multiplied into the old),
    /// so pruning never revives a weight. Dense layers whose weights changed drop any sparse or
    /// quantized inference kernel, and the model any whole-model inference engine (int8), which
    /// were built from the old weights.
    public func applyingPruningMasks(_ masks: [NamedTensor]) throws -> Model {
        var model = self
        if !masks.isEmpty { model.inferenceEngine = nil }
        for mask in masks {
            let combined: Tensor<Float>
            if let old = try model.parameter(named: mask.name).mask {
                combined = MagnitudePruning.apply(old, to: mask.value)
            } else {
                combined = mask.value
            }
            try model.setMask(combined, forParameter: mask.name)
        }
        let touched = Set(masks.map { LayerSelection.layerName(of: $0.name) })
        for (index, layer) in model.layers.enumerated() where touched.contains(layer.name) {
            if var dense = layer as? Dense, dense.inferenceKernel != nil {
                dense.inferenceKernel = nil
                try model.replaceLayer(at: index, with: dense)
            }
        }
        return model
    }
}

extension MagnitudePruning {
    /// Prunes `model`'s weights by magnitude: a copy with masks set (the source is untouched)
    /// and the report of how the masks were found.
    ///
    /// - Parameters:
    ///   - layers: layer or weight names (`fc1`, `fc2.weight`); nil or empty for all weights.
    public static func prune(model: Model, sparsity: Double, scope: PruningScope, layers: [String]? = nil,
                             excerptRows: Int = 4, excerptColumns: Int = 6, bins: Int = 21)
        throws -> (model: Model, result: MagnitudePruningResult) {
        let chosen = try LayerSelection.select(layers, from: model.prunableWeights)
        let result = try prune(chosen, sparsity: sparsity, scope: scope, excerptRows: excerptRows,
                               excerptColumns: excerptColumns, bins: bins)
        return (try model.applyingPruningMasks(result.masks.masks), result)
    }
}
