import SlimKernels

extension TensorDType {
    /// Compressed sparse rows of fp32 values with Int32 column indices and row pointers.
    public static let csrFloat32 = TensorDType(rawValue: "csr-f32")
}

/// A pruned Dense layer's weight stored in CSR, computing Y = X·Wᵀ + b either on SlimKernels'
/// SpMM or, when measurement said the dense GEMM is faster at this density, on the GEMM with the
/// same weights expanded. Storage and speed are separate decisions: the stored size is the CSR
/// size either way, and only the measured time decides which product runs.
public struct CSRDenseKernel: DenseInferenceKernel {
    /// The weight `[out, in]` in CSR.
    public let matrix: CSRMatrix
    /// The weight's model-wide name (`fc1.weight`).
    public let weightName: String
    /// Whether `forward` runs the SpMM (true) or the dense GEMM (false).
    public let runsSparse: Bool
    /// The measured density below which the SpMM beats the GEMM for this shape, when known:
    /// what decides `runsSparse` again when the kernel is derived from other weights.
    public let crossoverDensity: Double?
    /// The expanded weight for the dense product (shared with the layer's parameter, no copy).
    private let denseWeight: Tensor<Float>

    /// A kernel for `weight` (`[out, in]`), keeping the entries where `mask` is 1 (or, without
    /// a mask, the non-zero entries).
    public init(weightName: String, weight: Tensor<Float>, mask: Tensor<Float>?, runsSparse: Bool,
                crossoverDensity: Double? = nil) {
        precondition(weight.rank == 2, "CSRDenseKernel: weight \(weight.shape) is not [out, in]")
        self.weightName = weightName
        self.matrix = mask.map { CSRMatrix(dense: weight, mask: $0) } ?? CSRMatrix(dense: weight)
        self.runsSparse = runsSparse
        self.crossoverDensity = crossoverDensity
        self.denseWeight = weight
    }

    /// CSR of the new weights while that is smaller than dense (nil once it is not: the layer
    /// is then stored and run dense), on the SpMM below the measured crossover density.
    public func derived(weight: Tensor<Float>, mask: Tensor<Float>?, bias: Tensor<Float>) -> (any DenseInferenceKernel)? {
        guard weight.rank == 2 else { return nil }
        let matrix = mask.map { CSRMatrix(dense: weight, mask: $0) } ?? CSRMatrix(dense: weight)
        guard matrix.byteCount < matrix.denseByteCount else { return nil }
        let sparse = crossoverDensity.map { matrix.density < $0 } ?? runsSparse
        return CSRDenseKernel(weightName: weightName, weight: weight, mask: mask, runsSparse: sparse,
                              crossoverDensity: crossoverDensity)
    }

    public var label: String { runsSparse ? "csr" : "csr stored, dense compute" }

    public var storedWeight: StoredTensor {
        StoredTensor(name: weightName, shape: [matrix.rows, matrix.columns], dtype: .csrFloat32,
                     byteCount: matrix.byteCount)
    }

    public func forward(_ input: Tensor<Float>, bias: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        if runsSparse { return matrix.linear(input, bias: bias, pool: pool) }
        return input.matmul(denseWeight, transposeOther: true, pool: pool).addingBias(bias)
    }
}
