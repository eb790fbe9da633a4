import SlimKernels

/// The norms that measure how much a weight (or a group of weights) matters.
///
/// The classic definitions, accumulated in `Double` in index order so every run gives the same
/// digits:
/// - L1: ‖w‖₁ = Σ|wᵢ|, the total magnitude;
/// - L2: ‖w‖₂ = √Σwᵢ², the Euclidean length, which weighs large entries more.
public enum WeightNorm: String, CaseIterable, Sendable {
    case l1, l2

    /// The norm of all elements of `tensor`.
    public func of(_ tensor: Tensor<Float>) -> Double {
        tensor.withUnsafeBufferPointer { norm(of: $0[...]) }
    }

    /// The norm of each output unit of `weight`: of each row of a Dense weight `[out, in]`,
    /// of each filter of a Conv2D weight `[out, in, kh, kw]` (the slices along axis 0).
    public func ofUnits(_ weight: Tensor<Float>) -> [Double] {
        precondition(weight.rank >= 1, "WeightNorm.ofUnits: a scalar has no units")
        let units = weight.shape[0]
        let size = units == 0 ? 0 : weight.count / units
        return weight.withUnsafeBufferPointer { buffer in
            (0..<units).map { u in norm(of: buffer[(u * size)..<((u + 1) * size)]) }
        }
    }

    /// The symbolic definition, as `formula l1` prints it.
    public var definition: String {
        switch self {
        case .l1: return "‖w‖₁ = Σᵢ |wᵢ|"
        case .l2: return "‖w‖₂ = √(Σᵢ wᵢ²)"
        }
    }

    private func norm(of values: Slice<UnsafeBufferPointer<Float>>) -> Double {
        var sum = 0.0
        switch self {
        case .l1:
            for v in values { sum += abs(Double(v)) }
            return sum
        case .l2:
            for v in values { sum += Double(v) * Double(v) }
            return sum.squareRoot()
        }
    }
}
