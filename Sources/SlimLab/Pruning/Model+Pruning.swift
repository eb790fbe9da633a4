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

    /// How many weights are masked out, and how many of those are exactly zero (all of them,
    /// unless something wrote to a pruned weight behind its mask).
    public var maskedWeightCounts: (masked: Int, stillZero: Int) {
        var masked = 0, zero = 0
        let masks = pruningMasks
        for weight in prunableWeights {
            guard let mask = masks[weight.name] else { continue }
            for i in 0..<mask.count where mask[flat: i] == 0 {
                masked += 1
                if weight.value[flat: i] == 0 { zero += 1 }
            }
        }
        return (masked, zero)
    }

    /// A copy with `masks` set on the named weights and their pruned entries zeroed. A weight
    /// that already had a mask keeps its earlier zeros (the new mask is multiplied into the old),
    /// so pruning never revives a weight. Kernels (CSR, int8) follow the pruned weights: they
    /// are derived from them.
    public func applyingPruningMasks(_ masks: [NamedTensor]) throws -> Model {
        var model = self
        for mask in masks {
            let combined: Tensor<Float>
            if let old = try model.parameter(named: mask.name).mask {
                combined = MagnitudePruning.apply(old, to: mask.value)
            } else {
                combined = mask.value
            }
            try model.setMask(combined, forParameter: mask.name)
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
