import SlimKernels

/// A replacement for a whole model's inference, from input features to logits: the hook
/// through which a statically quantized variant runs end to end on integers (int8
/// activations flowing between layers), which no per-layer kernel can do because layers
/// exchange Float tensors.
///
/// When a model carries an engine, `logits` (and so predictions, evaluation and latency) run
/// on it; the layers stay for summaries, tracing and tensor names. Training runs on the
/// layers, so a technique that retrains must rebuild (or drop) the engine afterwards.
public protocol ModelInferenceEngine: Sendable {
    /// A short label for summaries (`int8 static`).
    var label: String { get }
    /// Class scores [batch, classes] for rows of features [batch, inputFeatureCount].
    func logits(_ features: Tensor<Float>, pool: ComputePool) -> Tensor<Float>
    /// The same engine (the same weight specs, activation grids and GEMM path) compiled from
    /// `model`'s layers as they are now; nil when it no longer applies to them.
    func derived(for model: Model) -> (any ModelInferenceEngine)?
}
