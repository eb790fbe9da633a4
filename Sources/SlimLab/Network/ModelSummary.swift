/// The table behind `model summary`: one row per layer and the totals, as values.
public struct ModelSummary: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var layer: String
        public var kind: String
        /// Per-sample output shape.
        public var outputShape: [Int]
        public var parameterCount: Int
        public var nonZeroCount: Int
        /// Weights (not biases) and how many of them are exactly zero: what pruning changes.
        public var weightCount: Int
        public var zeroWeightCount: Int
        /// Bytes as stored (the dtype's size, CSR indices or quantization scales included).
        public var byteCount: Int
        /// The storage types of the layer's tensors (`f32`, or `int8, f32` for int8 weights
        /// with an fp32 bias); empty for layers without tensors.
        public var dtypes: [TensorDType]

        /// The fraction of the layer's weights that are exactly zero (0 without weights).
        public var sparsity: Double {
            weightCount == 0 ? 0 : Double(zeroWeightCount) / Double(weightCount)
        }
    }

    public var architecture: String
    public var inputShape: [Int]
    public var rows: [Row]

    public var parameterCount: Int { rows.reduce(0) { $0 + $1.parameterCount } }
    public var nonZeroCount: Int { rows.reduce(0) { $0 + $1.nonZeroCount } }
    public var byteCount: Int { rows.reduce(0) { $0 + $1.byteCount } }
    /// The fraction of all weights that are exactly zero.
    public var sparsity: Double {
        let weights = rows.reduce(0) { $0 + $1.weightCount }
        return weights == 0 ? 0 : Double(rows.reduce(0) { $0 + $1.zeroWeightCount }) / Double(weights)
    }
}

extension Model {
    /// The per-layer table of `model summary`.
    public var summary: ModelSummary {
        let rows = zip(layers.indices, layerOutputShapes).map { index, shape in
            let layer = layers[index]
            let stored = storedTensors(ofLayer: index)
            let weights = layer.parameters.filter { $0.role == .weight }
            var dtypes: [TensorDType] = []
            for tensor in stored where !dtypes.contains(tensor.dtype) { dtypes.append(tensor.dtype) }
            return ModelSummary.Row(
                layer: layer.name, kind: layer.kind, outputShape: shape,
                parameterCount: layer.parameters.reduce(0) { $0 + $1.count },
                nonZeroCount: layer.parameters.reduce(0) { $0 + $1.nonZeroCount },
                weightCount: weights.reduce(0) { $0 + $1.count },
                zeroWeightCount: weights.reduce(0) { $0 + $1.count - $1.nonZeroCount },
                byteCount: stored.reduce(0) { $0 + $1.byteCount }, dtypes: dtypes)
        }
        return ModelSummary(architecture: architecture.specification, inputShape: inputShape, rows: rows)
    }
}
