import SlimKernels

/// Fake quantization of a layer's weights for quantization-aware training: the forward
/// product uses Ŵ = s·(clamp(round(W/s) + z) − z), with s and z taken from the current weights
/// (per tensor or per output channel) at every step, and the backward pass is the
/// straight-through estimator: ∂L/∂W = ∂L/∂Ŵ where W lies inside the grid's range
/// [s·(q_min − z), s·(q_max − z)], and 0 outside it (where the clamp is flat).
///
/// Rounding has zero derivative almost everywhere; the STE pretends it is the identity, so the
/// Float weights keep learning while the forward pass only ever sees representable values.
public struct WeightFakeQuantization: WeightTransform {
    public let spec: QuantizationSpec

    public init(spec: QuantizationSpec) {
        self.spec = spec
    }

    public var label: String { "fake-quant \(spec)" }

    /// The grid(s) for `weight` as it is now.
    public func parameters(for weight: Tensor<Float>) -> [QuantizationParameters] {
        // A weight tensor always has a finite range and valid bits (checked when QAT starts).
        (try? QuantizedTensor.quantize(weight, spec: spec).quantized.parameters) ?? []
    }

    public func transformed(_ weight: Tensor<Float>) -> Tensor<Float> {
        let grids = parameters(for: weight)
        guard grids.count == 1 || grids.count == weight.shape.first else { return weight }
        if grids.count == 1 {
            return fakeQuantized(weight, grids[0])
        }
        return weight.fakeQuantizedPerChannel(scales: grids.map(\.scale), zeroPoints: grids.map { Int32($0.zeroPoint) },
                                              qmin: Int32(grids[0].range.qmin), qmax: Int32(grids[0].range.qmax))
    }

    public func gradient(_ transformedGradient: Tensor<Float>, weight: Tensor<Float>) -> Tensor<Float> {
        let grids = parameters(for: weight)
        guard !grids.isEmpty else { return transformedGradient }
        return straightThrough(transformedGradient, input: weight, grids: grids)
    }
}

/// The straight-through estimator's gradient: `gradient` where `input` lies inside its grid's
/// representable range, 0 outside. `grids` holds one grid, or one per leading-axis slice.
func straightThrough(_ gradient: Tensor<Float>, input: Tensor<Float>, grids: [QuantizationParameters]) -> Tensor<Float> {
    let groupSize = input.count / max(1, grids.count)
    return Tensor(shape: gradient.shape) { out in
        gradient.withUnsafeBufferPointer { g in
            input.withUnsafeBufferPointer { x in
                for (group, p) in grids.enumerated() {
                    let range = p.representableRange
                    for i in group * groupSize..<(group + 1) * groupSize {
                        out[i] = range.contains(x[i]) ? g[i] : 0
                    }
                }
            }
        }
    }
}
