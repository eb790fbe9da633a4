import SlimKernels

/// One pruned Dense layer run four ways on the same input — where speed from sparsity comes
/// from, and where it does not:
/// - dense fp32: the GEMM on the weights with their zeros (zeros cost as much as any number);
/// - dense with the mask applied: W ⊙ m formed before every GEMM, as `torch.nn.utils.prune`
///   does (slower still, and the mask doubles the bytes);
/// - CSR on the SpMM: work and bytes in proportion to the kept weights, plus the indices;
/// - structurally shrunk: a dense layer with as many whole rows as the kept weights fill,
///   which every dense kernel runs fast.
public struct SparseLayerBenchmark: Sendable {
    /// The four ways.
    public enum Way: String, CaseIterable, Sendable {
        case dense = "dense fp32"
        case masked = "dense, mask applied"
        case csr = "CSR (SpMM)"
        case shrunk = "structurally shrunk"
    }

    /// One way's numbers.
    public struct Row: Sendable, Equatable {
        public var way: Way
        /// The weight's shape as this way holds it.
        public var shape: [Int]
        /// Bytes of the weight as stored this way (mask and indices included).
        public var bytes: Int
        /// Median seconds of one forward pass of the batch.
        public var seconds: Double
    }

    /// The layer's weight name (`fc1.weight`).
    public var name: String
    /// Kept entries over all entries.
    public var density: Double
    public var batch: Int
    public var threads: Int
    public var rows: [Row]

    /// Times `layer` four ways on a seeded random batch of `batch` rows. The kept entries are
    /// those of the layer's mask, or its non-zeros without one.
    public static func run(_ layer: Dense, batch: Int, pool: ComputePool) -> SparseLayerBenchmark {
        var generator = SeededGenerator(seed: 0xBE7C)
        let (out, inputs) = (layer.outputFeatures, layer.inputFeatures)
        let x = Tensor(shape: [batch, inputs], scalars: (0..<(batch * inputs)).map { _ in Float(generator.normal()) })
        let weight = layer.weight, bias = layer.bias
        let mask = layer.parameters[0].mask ?? Tensor(shape: weight.shape, scalars: weight.scalars.map { $0 == 0 ? 0 : 1 })
        let matrix = CSRMatrix(dense: weight, mask: mask)
        let keptRows = max(1, Int((Double(out) * matrix.density).rounded()))
        let shrunk = weight.gathering(Array(0..<keptRows), along: 0)
        let shrunkBias = bias.gathering(Array(0..<keptRows), along: 0)
        let floatBytes = MemoryLayout<Float>.size

        let dense = SparseCrossover.medianSeconds {
            _ = x.matmul(weight, transposeOther: true, pool: pool).addingBias(bias)
        }
        let masked = SparseCrossover.medianSeconds {
            let w = MagnitudePruning.apply(mask, to: weight)
            _ = x.matmul(w, transposeOther: true, pool: pool).addingBias(bias)
        }
        let csr = SparseCrossover.medianSeconds { _ = matrix.linear(x, bias: bias, pool: pool) }
        let small = SparseCrossover.medianSeconds {
            _ = x.matmul(shrunk, transposeOther: true, pool: pool).addingBias(shrunkBias)
        }
        return SparseLayerBenchmark(
            name: "\(layer.name).weight", density: matrix.density, batch: batch, threads: pool.threadCount,
            rows: [
                Row(way: .dense, shape: [out, inputs], bytes: out * inputs * floatBytes, seconds: dense),
                Row(way: .masked, shape: [out, inputs], bytes: 2 * out * inputs * floatBytes, seconds: masked),
                Row(way: .csr, shape: [out, inputs], bytes: matrix.byteCount, seconds: csr),
                Row(way: .shrunk, shape: [keptRows, inputs], bytes: keptRows * inputs * floatBytes, seconds: small),
            ])
    }
}
