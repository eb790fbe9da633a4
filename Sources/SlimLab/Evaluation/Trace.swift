import SlimKernels

/// One sample followed through every layer: the input, each layer's output (`fc1.out`, …) and
/// the final softmax — the values behind `trace I`, kept by the workspace so that
/// `show fc1.out` and `formula softmax` can use them afterwards.
public struct Trace: Sendable {
    /// One layer's step.
    public struct Step: Sendable {
        public var layer: String
        public var kind: String
        /// The layer's output for the sample, named `layer.out`, shape `[1] + per-sample shape`.
        public var output: NamedTensor
    }

    /// The variant the sample went through.
    public var variantName: String
    public var datasetName: String
    public var sampleIndex: Int
    public var trueLabel: Int?
    public var classNames: [String]
    /// The sample as the model received it, named `input`, shape `[1] + input shape`.
    public var input: NamedTensor
    public var steps: [Step]
    /// The last layer's output and its softmax.
    public var prediction: Prediction

    /// The logits (the last layer's output).
    public var logits: [Float] { prediction.logits }
    /// The activation called `name` (`input` or `layer.out`), if this trace has it.
    public func activation(named name: String) -> NamedTensor? {
        if name == input.name { return input }
        return steps.first { $0.output.name == name }?.output
    }
    /// Every activation name, in order.
    public var activationNames: [String] { [input.name] + steps.map(\.output.name) }
}

extension Model {
    /// Sample `index` of `dataset` through every layer, keeping each output.
    public func trace(sample index: Int, of dataset: Dataset, variantName: String, pool: ComputePool) throws -> Trace {
        try checkCompatible(with: dataset)
        try Self.checkSampleIndex(index, in: dataset)
        let row = dataset.features.rows(index..<(index + 1))
        let outputs = activations(row, pool: pool)
        let steps = zip(layers, outputs).map { layer, output in
            Trace.Step(layer: layer.name, kind: layer.kind, output: output)
        }
        let logits = outputs.last?.value ?? row
        let prediction = Prediction(
            datasetName: dataset.name, sampleIndex: index, trueLabel: dataset.labels[index],
            classNames: dataset.classNames, logits: logits.scalars,
            probabilities: SoftmaxCrossEntropy.probabilities(logits.reshaped([1, logits.count])).scalars)
        return Trace(variantName: variantName, datasetName: dataset.name, sampleIndex: index,
                     trueLabel: dataset.labels[index], classNames: dataset.classNames,
                     input: NamedTensor(name: "input", value: row.reshaped([1] + inputShape)),
                     steps: steps, prediction: prediction)
    }
}
