import SlimKernels

/// A replacement for a Dense layer's inference product Y = X·Wᵀ + b, built from its weights:
/// the hook through which pruning runs a layer on CSR (SpMM) and quantization on int8 GEMM.
///
/// When a Dense layer carries an inference kernel, `forward` (inference, tracing, latency)
/// runs on it and the layer's size is the kernel's stored size. Training runs on the fp32
/// weights; the kernel is derived state, so the layer derives it again (`derived`) from the
/// weights as they are whenever they changed — no technique strips or re-applies it.
public protocol DenseInferenceKernel: Sendable {
    /// A short label for summaries (`csr`, `int8 per-channel`).
    var label: String { get }
    /// How the weight is stored by this kernel (dtype and bytes, side data included).
    var storedWeight: StoredTensor { get }
    /// Y = X·Wᵀ + b for X of shape `[batch, inFeatures]`; returns `[batch, outFeatures]`.
    func forward(_ input: Tensor<Float>, bias: Tensor<Float>, pool: ComputePool) -> Tensor<Float>
    /// The same storage (the same spec, format or layout) built from other weights, mask and
    /// bias; nil when it no longer applies to them (the layer then computes in Float).
    func derived(weight: Tensor<Float>, mask: Tensor<Float>?, bias: Tensor<Float>) -> (any DenseInferenceKernel)?
    /// The weight as the storage gives it back — quantized codes dequantized — when the storage
    /// rounds (nil when it keeps the weight exactly, as CSR does). A variant's weights are set
    /// to it after training (`Model.settleWeightsOnStorage()`), so that its parameters are
    /// what its file keeps.
    var storedWeightValue: Tensor<Float>? { get }
}

extension DenseInferenceKernel {
    public var storedWeightValue: Tensor<Float>? { nil }
}
