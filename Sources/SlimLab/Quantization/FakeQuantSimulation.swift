import SlimKernels

/// The Float simulation of an `Int8Network` ("fake quantization"): the same grids and codes,
/// but every product computed in fp32 on dequantized values —
///
///     x̂ = fq(x; s_in, z_in),  then per layer:  y = x̂·Ŵᵀ + b̂,  ReLU,  x̂ = fq(y; s_y, z_y)
///
/// with Ŵ = s_w·(q_w − z_w), b̂ = s_x·s_w·b32 (the bias the engine adds), and fq quantize-then-
/// dequantize. It is what the integer engine computes, up to Float rounding inside the
/// products and the requantization multiplier; the tests hold the engine to it.
public struct FakeQuantSimulation: Sendable {
    public let network: Int8Network
    private let weights: [Tensor<Float>]
    private let biases: [Tensor<Float>]

    public init(network: Int8Network) {
        self.network = network
        self.weights = network.stages.map { $0.weight.dequantized() }
        self.biases = network.stages.enumerated().map { index, stage in
            let isLast = index == network.stages.count - 1
            return Tensor(shape: [stage.outputFeatures], scalars: (0..<stage.outputFeatures).map { j in
                isLast ? stage.floatBias[j]
                       : Float(Double(stage.input.scale) * Double(stage.packed.scale(j)) * Double(stage.integerBias[j]))
            })
        }
    }

    /// The simulated logits, and the fake-quantized activations on the way (input first).
    public func run(_ features: Tensor<Float>, pool: ComputePool) -> (logits: Tensor<Float>, activations: [Tensor<Float>]) {
        let batch = features.shape.first ?? 0
        var x = fakeQuantized(features.reshaped([batch, network.inputFeatureCount]), network.input.parameters)
        var activations = [x]
        for (index, stage) in network.stages.enumerated() {
            var y = x.matmul(weights[index], transposeOther: true, pool: pool)
            let n = stage.outputFeatures
            y.withUnsafeMutableBufferPointer { values in
                biases[index].withUnsafeBufferPointer { b in
                    for i in 0..<batch {
                        for j in 0..<n {
                            var v = values[i * n + j] + b[j]
                            if stage.fusedReLU && !(v > 0) { v = 0 }
                            values[i * n + j] = v
                        }
                    }
                }
            }
            if let output = stage.output {
                y = fakeQuantized(y, output.parameters)
                activations.append(y)
            }
            x = y
        }
        return (x, activations)
    }

    public func logits(_ features: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        run(features, pool: pool).logits
    }
}

/// Quantize-then-dequantize on a grid (SlimKernels' fakeQuantize).
func fakeQuantized(_ x: Tensor<Float>, _ p: QuantizationParameters) -> Tensor<Float> {
    x.fakeQuantized(scale: p.scale, zeroPoint: Int32(p.zeroPoint), qmin: Int32(p.range.qmin), qmax: Int32(p.range.qmax))
}
