import SlimKernels

/// How a layer's weights are drawn before training. Biases start at zero.
///
/// He initialization (He et al., 2015) keeps the variance of activations constant through
/// ReLU layers: Var(w) = 2 / fan_in. Xavier/Glorot (Glorot & Bengio, 2010) keeps it constant
/// for layers without ReLU: Var(w) = 2 / (fan_in + fan_out). A layer that feeds a ReLU gets He,
/// the output layer gets Xavier.
public enum WeightInitialization: String, Sendable, CaseIterable {
    /// N(0, 2 / fan_in).
    case heNormal = "he-normal"
    /// U(−√(6 / fan_in), √(6 / fan_in)).
    case heUniform = "he-uniform"
    /// N(0, 2 / (fan_in + fan_out)).
    case xavierNormal = "xavier-normal"
    /// U(−√(6 / (fan_in + fan_out)), √(6 / (fan_in + fan_out))).
    case xavierUniform = "xavier-uniform"

    /// A tensor of `shape` drawn from this distribution, consuming `generator` in row-major order.
    public func sample(shape: [Int], fanIn: Int, fanOut: Int,
                       generator: inout SeededGenerator) -> Tensor<Float> {
        let fanIn = Double(max(1, fanIn)), fanOut = Double(max(1, fanOut))
        var tensor = Tensor<Float>.zeros(shape)
        tensor.withUnsafeMutableBufferPointer { values in
            switch self {
            case .heNormal, .xavierNormal:
                let variance = self == .heNormal ? 2 / fanIn : 2 / (fanIn + fanOut)
                let deviation = variance.squareRoot()
                for i in values.indices { values[i] = Float(generator.normal() * deviation) }
            case .heUniform, .xavierUniform:
                let bound = Float((self == .heUniform ? 6 / fanIn : 6 / (fanIn + fanOut)).squareRoot())
                for i in values.indices { values[i] = generator.uniform(-bound, bound) }
            }
        }
        return tensor
    }
}
