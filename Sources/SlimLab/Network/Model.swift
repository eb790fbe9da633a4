import SlimKernels

/// A feed-forward network: a sequence of layers from a per-sample input shape to one score
/// per class.
///
/// A model is a value: copying it (into a new variant) costs nothing and the copy changes
/// independently. Tensors are named model-wide as `layer.parameter` (`fc1.weight`) and
/// activations as `layer.out` (`fc1.out`).
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try ModelArchitecture.mlp("64-64-10").makeModel(generator: &generator)
/// model.parameterCount          // 4810
/// model.layers.map(\.name)      // ["fc1", "relu1", "fc2"]
/// ```
public struct Model: Sendable {
    /// The shape of one sample (`[64]`, or `[1, 8, 8]` for images as channels × height × width).
    public let inputShape: [Int]
    /// The layers in order; names are unique.
    public private(set) var layers: [any Layer]
    /// The per-sample output shape of every layer, in order.
    public private(set) var layerOutputShapes: [[Int]]
    /// Epochs trained so far; training seeds each epoch's shuffle with it, so two runs of 10
    /// epochs shuffle as one run of 20.
    public var completedEpochs: Int = 0
    /// A whole-model inference replacement (the int8 engine); see `ModelInferenceEngine`.
    /// Setting one records the parameters it was compiled from; reading it gives the engine
    /// for the parameters as they are now, compiled again with the same specification when
    /// they changed since.
    public var inferenceEngine: (any ModelInferenceEngine)? {
        get { engineSlot?.kernel(for: engineSources) { $0.derived(for: self) } }
        set { engineSlot = newValue.map { DerivedKernelSlot($0, sources: engineSources) } }
    }
    private var engineSlot: DerivedKernelSlot<any ModelInferenceEngine>?
    /// What the engine is a function of: every parameter, in layer order.
    private var engineSources: [Tensor<Float>] { layers.flatMap { $0.parameters.map(\.value) } }
    /// The weights that share values (weight clustering), by name; training then updates their
    /// centroids and keeps every assignment (`SharedWeightTraining`, Clustering/), and the size
    /// and the file count them as stored: a codebook and indices (`WeightCodebook.encoding`).
    ///
    /// Derived state, like the kernels: setting one records the tensor (and mask) it describes;
    /// reading gives the codebooks that still describe the tensors as they are now — one whose
    /// entries were since pruned follows the mask (those entries leave the codebook), one
    /// whose tensor changed otherwise (quantized, shrunk) is gone, since the weights no longer
    /// share its values.
    public var codebooks: [String: WeightCodebook] {
        get {
            var result: [String: WeightCodebook] = [:]
            for (name, slot) in codebookSlots {
                guard let sources = try? codebookSources(name),
                      let codebook = slot.kernel(for: sources, derive: { $0.following(value: sources[0], mask: sources.count > 1 ? sources[1] : nil) })
                else { continue }
                result[name] = codebook
            }
            return result
        }
        set {
            codebookSlots = [:]
            for (name, codebook) in newValue {
                guard let sources = try? codebookSources(name) else { continue }
                codebookSlots[name] = DerivedKernelSlot(codebook, sources: sources)
            }
        }
    }
    private var codebookSlots: [String: DerivedKernelSlot<WeightCodebook>] = [:]
    /// What a codebook is a function of: its tensor, and its mask when pruned.
    private func codebookSources(_ name: String) throws -> [Tensor<Float>] {
        let parameter = try parameter(named: name)
        return [parameter.value] + (parameter.mask.map { [$0] } ?? [])
    }

    /// A model from layers, checked: shapes must chain from `inputShape`, names must be
    /// unique, and the output must be one score per class.
    public init(inputShape: [Int], layers: [any Layer]) throws {
        var names = Set<String>()
        var shapes: [[Int]] = []
        var shape = inputShape
        for layer in layers {
            guard names.insert(layer.name).inserted else { throw ModelError.duplicateLayerName(layer.name) }
            shape = try layer.outputShape(for: shape)
            shapes.append(shape)
        }
        guard shape.count == 1, shape[0] >= 1 else { throw ModelError.notAClassifier(outputShape: shape) }
        self.inputShape = inputShape
        self.layers = layers
        self.layerOutputShapes = shapes
    }

    /// The number of input features per sample (the product of `inputShape`).
    public var inputFeatureCount: Int { inputShape.reduce(1, *) }
    /// The number of classes (scores per sample).
    public var classCount: Int { layerOutputShapes.last?.first ?? inputFeatureCount }

    /// What re-creates this model's structure (see `ModelArchitecture`).
    public var architecture: ModelArchitecture {
        ModelArchitecture(inputShape: inputShape, layers: layers.map(\.description))
    }

    // MARK: Running

    /// Class scores [batch, classes] for rows of features [batch, inputFeatureCount].
    public func logits(_ features: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        if let inferenceEngine { return inferenceEngine.logits(batched(features), pool: pool) }
        var activation = batched(features)
        for layer in layers { activation = layer.forward(activation, pool: pool) }
        return activation
    }

    /// Class probabilities [batch, classes] (softmax of the logits).
    public func probabilities(_ features: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        SoftmaxCrossEntropy.probabilities(logits(features, pool: pool))
    }

    /// The predicted class of every row (the index of the highest score; the first on ties).
    public func predictedClasses(_ features: Tensor<Float>, pool: ComputePool) -> [Int] {
        features.shape[0] == 0 ? [] : logits(features, pool: pool).argmaxRows()
    }

    /// Every layer's output for a batch, in order, named `layer.out`.
    public func activations(_ features: Tensor<Float>, pool: ComputePool) -> [NamedTensor] {
        var activation = batched(features)
        return layers.map { layer in
            activation = layer.forward(activation, pool: pool)
            return NamedTensor(name: "\(layer.name).out", value: activation)
        }
    }

    /// The logits of a batch, keeping what `backward` needs in every layer.
    public mutating func trainingForward(_ features: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        var activation = batched(features)
        for index in layers.indices { activation = layers[index].trainingForward(activation, pool: pool) }
        return activation
    }

    /// Sets every parameter's gradient from ∂loss/∂logits of the last `trainingForward`.
    public mutating func backward(_ logitGradient: Tensor<Float>, pool: ComputePool) {
        var gradient = logitGradient
        for index in layers.indices.reversed() {
            if let next = layers[index].backward(gradient, needsInputGradient: index > 0, pool: pool) {
                gradient = next
            }
        }
    }

    /// Drops what training forwards kept in the layers.
    public mutating func releaseTrainingState() {
        for index in layers.indices { layers[index].releaseTrainingState() }
    }

    private func batched(_ features: Tensor<Float>) -> Tensor<Float> {
        precondition(features.rank >= 1 && features.count == features.shape[0] * inputFeatureCount,
                     "Model: input \(features.shape) does not hold rows of \(inputFeatureCount) features")
        return features.reshaped([features.shape[0]] + inputShape)
    }

    // MARK: Tensors by name

    /// `fc1.weight`, `fc1.bias`, … in layer order.
    public var parameterNames: [String] {
        layers.flatMap { layer in layer.parameters.map { "\(layer.name).\($0.name)" } }
    }

    /// `fc1.out`, `relu1.out`, … in layer order.
    public var activationNames: [String] { layers.map { "\($0.name).out" } }

    /// The parameter called `name` (`fc1.weight`), or an error listing the model's parameters.
    public func parameter(named name: String) throws -> Parameter {
        let (layerIndex, parameterIndex) = try locate(name)
        return layers[layerIndex].parameters[parameterIndex]
    }

    /// Changes the parameter called `name` in place through `body`.
    public mutating func updateParameter(named name: String, _ body: (inout Parameter) throws -> Void) throws {
        let (layerIndex, parameterIndex) = try locate(name)
        try body(&layers[layerIndex].parameters[parameterIndex])
    }

    /// Calls `body` on every parameter, in layer order, with its model-wide name.
    public mutating func updateParameters(_ body: (String, inout Parameter) throws -> Void) rethrows {
        for l in layers.indices {
            for p in layers[l].parameters.indices {
                let name = "\(layers[l].name).\(layers[l].parameters[p].name)"
                try body(name, &layers[l].parameters[p])
            }
        }
    }

    /// Sets (or with nil, removes) the pruning mask of parameter `name` and zeroes the
    /// pruned entries at once.
    public mutating func setMask(_ mask: Tensor<Float>?, forParameter name: String) throws {
        try updateParameter(named: name) { parameter in
            if let mask, mask.shape != parameter.value.shape {
                throw ModelError.dataMismatch(model: "parameter \(name) has shape \(ModelError.shapeText(parameter.value.shape))",
                                              data: "mask has shape \(ModelError.shapeText(mask.shape))")
            }
            parameter.mask = mask
            parameter.applyMask()
        }
    }

    /// Replaces the layer at `index` (for techniques that swap a layer's kernel or structure);
    /// the result must still chain, like in `init(inputShape:layers:)`.
    public mutating func replaceLayer(at index: Int, with layer: any Layer) throws {
        var replaced = layers
        replaced[index] = layer
        let rebuilt = try Model(inputShape: inputShape, layers: replaced)
        layers = rebuilt.layers
        layerOutputShapes = rebuilt.layerOutputShapes
    }

    /// Replaces all layers at once (structured pruning changes two neighbours together).
    public mutating func replaceLayers(_ newLayers: [any Layer]) throws {
        let rebuilt = try Model(inputShape: inputShape, layers: newLayers)
        layers = rebuilt.layers
        layerOutputShapes = rebuilt.layerOutputShapes
    }

    private func locate(_ name: String) throws -> (Int, Int) {
        for (l, layer) in layers.enumerated() {
            for (p, parameter) in layer.parameters.enumerated() where "\(layer.name).\(parameter.name)" == name {
                return (l, p)
            }
        }
        throw ModelError.unknownTensor(name, known: parameterNames)
    }

    // MARK: Size

    /// The number of trainable values.
    public var parameterCount: Int {
        layers.reduce(0) { $0 + $1.parameters.reduce(0) { $0 + $1.count } }
    }

    /// The number of trainable values that are not exactly zero.
    public var nonZeroParameterCount: Int {
        layers.reduce(0) { $0 + $1.parameters.reduce(0) { $0 + $1.nonZeroCount } }
    }

    /// How every tensor is stored, in layer order.
    public var storedTensors: [StoredTensor] {
        let shared = codebooks
        return layers.flatMap { Self.storedTensors(of: $0, codebooks: shared) }
    }

    /// How the tensors of the layer at `index` are stored: as the layer stores them, except a
    /// tensor that shares its values, stored as its codebook and indices.
    public func storedTensors(ofLayer index: Int) -> [StoredTensor] {
        Self.storedTensors(of: layers[index], codebooks: codebooks)
    }

    private static func storedTensors(of layer: any Layer, codebooks: [String: WeightCodebook]) -> [StoredTensor] {
        layer.storedTensors.map { stored in codebooks[stored.name]?.storedTensor(shape: stored.shape) ?? stored }
    }

    /// Sets every weight whose storage rounds it (quantized codes) to what that storage gives
    /// back, keeping the kernels and the engine as they are: the weights of a quantized variant
    /// then ARE its dequantized codes, as its file keeps them, so its parameters, non-zero count
    /// and evaluation are the same in the session and after `model save` / `model load`.
    /// Training calls it at the end of every run (the run itself moves Float weights, and the
    /// kernels follow them); a layer under a weight transform (QAT) is left alone.
    public mutating func settleWeightsOnStorage() {
        let engine = inferenceEngine
        var settled = false
        for index in layers.indices {
            guard var dense = layers[index] as? Dense, dense.weightTransform == nil, let kernel = dense.inferenceKernel,
                  let stored = kernel.storedWeightValue, stored.shape == dense.weight.shape,
                  !DerivedKernelSlot<Tensor<Float>>.bitwiseEqual([stored], [dense.weight]) else { continue }
            dense.parameters[0].value = stored
            dense.inferenceKernel = kernel
            layers[index] = dense
            settled = true
        }
        if settled, let engine { inferenceEngine = engine }
    }

    /// Bytes of all tensors as stored (what a deployment would ship).
    public var storedByteCount: Int { storedTensors.reduce(0) { $0 + $1.byteCount } }
}

/// A tensor with its model-wide name (`fc1.out`).
public struct NamedTensor: Sendable {
    public var name: String
    public var value: Tensor<Float>

    public init(name: String, value: Tensor<Float>) {
        self.name = name
        self.value = value
    }
}
