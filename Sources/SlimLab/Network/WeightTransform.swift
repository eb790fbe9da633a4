import SlimKernels

/// A change applied to a layer's weights on their way into the forward product, with its
/// backward rule — the hook for fake quantization in quantization-aware training.
///
/// With a transform set, a layer computes with `transformed(weight)` (for QAT: quantize then
/// dequantize) and passes the gradient back through `gradient(_:weight:)` (for QAT: the
/// straight-through estimator, which lets the gradient through where the weight lies inside
/// the clipping range and zeroes it outside). The stored weights stay fp32 and keep learning.
public protocol WeightTransform: Sendable {
    /// A short label for summaries (`fake-quant int4 symmetric`).
    var label: String { get }
    /// The weights the forward product uses.
    func transformed(_ weight: Tensor<Float>) -> Tensor<Float>
    /// ∂loss/∂weight from ∂loss/∂transformed(weight).
    func gradient(_ transformedGradient: Tensor<Float>, weight: Tensor<Float>) -> Tensor<Float>
}
