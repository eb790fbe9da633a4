import SlimKernels

/// One row of the per-layer table a pruning report shows: how big a weight is, how many of its
/// entries are exactly zero, and its L1 and L2 norms.
public struct LayerSparsity: Sendable, Equatable {
    /// The tensor's name, e.g. `fc1.weight`.
    public var name: String
    public var shape: [Int]
    /// The number of entries.
    public var parameters: Int
    /// The number of entries that are exactly zero.
    public var zeros: Int
    /// L1 norm Σ|wᵢ|.
    public var l1: Double
    /// L2 norm √Σwᵢ².
    public var l2: Double

    /// Measures `weight`.
    public init(name: String, weight: Tensor<Float>) {
        self.name = name
        self.shape = weight.shape
        self.parameters = weight.count
        self.zeros = weight.withUnsafeBufferPointer { buffer in
            var zeros = 0
            for v in buffer where v == 0 { zeros += 1 }
            return zeros
        }
        self.l1 = WeightNorm.l1.of(weight)
        self.l2 = WeightNorm.l2.of(weight)
    }

    /// The non-zero entries.
    public var nonZeros: Int { parameters - zeros }
    /// The fraction of entries that are zero, in [0, 1].
    public var sparsity: Double { parameters == 0 ? 0 : Double(zeros) / Double(parameters) }

    /// The table over several layers, with a total row summing parameters and zeros (the norms
    /// of the total are those of all weights taken together).
    public static func total(of rows: [LayerSparsity], name: String = "total") -> LayerSparsity {
        var total = LayerSparsity(name: name, weight: Tensor.zeros([0]))
        total.shape = [rows.reduce(0) { $0 + $1.parameters }]
        total.parameters = total.shape[0]
        total.zeros = rows.reduce(0) { $0 + $1.zeros }
        total.l1 = rows.reduce(0) { $0 + $1.l1 }
        total.l2 = rows.reduce(0) { $0 + $1.l2 * $1.l2 }.squareRoot()
        return total
    }
}
