import SlimKernels

/// How one Dense layer's weight is stored and run after pruning.
public struct SparseLayerDecision: Sendable, Equatable {
    /// The weight (`fc1.weight`).
    public var name: String
    public var shape: [Int]
    /// Kept entries over all entries.
    public var density: Double
    /// 4 bytes per entry.
    public var denseBytes: Int
    /// Values + column indices + row pointers.
    public var csrBytes: Int
    /// Whether the weight is stored in CSR (it is smaller).
    public var storedAsCSR: Bool
    /// The measured density below which SpMM beats the GEMM for this shape (nil when the layer
    /// is not stored in CSR, so nothing was measured).
    public var crossoverDensity: Double?
    /// Whether inference runs on the SpMM.
    public var runsSparse: Bool
}

/// Chooses, layer by layer, how a pruned model's Dense weights are stored and run: in CSR when
/// that is smaller than dense (a fact of the sparsity pattern), and on the SpMM when that was
/// measured faster at this density (a fact of the machine). Other layers are left alone, as are
/// Dense layers carrying another inference kernel (int8).
public enum SparseStorage {
    /// A copy of `model` with CSR kernels on the Dense layers where CSR is smaller, and what was
    /// decided. Layers that are no longer smaller in CSR lose their CSR kernel.
    ///
    /// - Parameter batch: the batch size the speed is measured at.
    public static func apply(to model: Model, crossover: SparseCrossover, batch: Int = 64, pool: ComputePool)
        throws -> (model: Model, decisions: [SparseLayerDecision]) {
        var result = model
        var decisions: [SparseLayerDecision] = []
        for (index, layer) in model.layers.enumerated() {
            guard var dense = layer as? Dense else { continue }
            if let kernel = dense.inferenceKernel, !(kernel is CSRDenseKernel) { continue }
            let name = "\(dense.name).weight"
            let weight = dense.weight
            let mask = dense.parameters[0].mask
            let matrix = mask.map { CSRMatrix(dense: weight, mask: $0) } ?? CSRMatrix(dense: weight)
            let smaller = matrix.byteCount < matrix.denseByteCount
            var crossoverDensity: Double? = nil
            var runsSparse = false
            if smaller {
                let measured = crossover.density(rows: matrix.rows, columns: matrix.columns, batch: batch, pool: pool)
                crossoverDensity = measured
                runsSparse = matrix.density < measured
                dense.inferenceKernel = CSRDenseKernel(weightName: name, weight: weight, mask: mask, runsSparse: runsSparse,
                                                       crossoverDensity: measured)
            } else {
                dense.inferenceKernel = nil
            }
            try result.replaceLayer(at: index, with: dense)
            decisions.append(SparseLayerDecision(
                name: name, shape: weight.shape, density: matrix.density, denseBytes: matrix.denseByteCount,
                csrBytes: matrix.byteCount, storedAsCSR: smaller, crossoverDensity: crossoverDensity,
                runsSparse: runsSparse))
        }
        return (result, decisions)
    }
}
