import SlimKernels

/// How one weight tensor shares its values: k centroids, and for every entry the centroid it
/// uses (weight sharing, Deep Compression §3). The tensor's values are always
/// `centroids[assignments[i]]`, or exactly 0 where the entry is pruned.
public struct WeightCodebook: Sendable, Equatable {
    /// The weight's model-wide name (`fc1.weight`).
    public var parameter: String
    /// The shared values C_0 … C_{k−1}, ascending after clustering (fine-tuning may reorder).
    public var centroids: [Float]
    /// For every entry of the tensor, in row-major order: its centroid, or −1 where the entry
    /// is pruned (held at zero and not stored).
    public var assignments: [Int32]

    public init(parameter: String, centroids: [Float], assignments: [Int32]) {
        self.parameter = parameter
        self.centroids = centroids
        self.assignments = assignments
    }

    /// k.
    public var clusterCount: Int { centroids.count }
    /// Entries that use a centroid (not pruned).
    public var sharedCount: Int { assignments.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
    /// How many entries use each centroid.
    public var memberCounts: [Int] {
        var counts = [Int](repeating: 0, count: centroids.count)
        for a in assignments where a >= 0 { counts[Int(a)] += 1 }
        return counts
    }

    /// The tensor's values: W_i = C[I_i], or 0 where pruned.
    public func values(shape: [Int]) -> Tensor<Float> {
        precondition(shape.reduce(1, *) == assignments.count, "WeightCodebook: shape \(shape) does not hold \(assignments.count) entries")
        return Tensor<Float>(shape: shape) { output in
            for i in 0..<assignments.count { output[i] = assignments[i] >= 0 ? centroids[Int(assignments[i])] : 0 }
        }
    }
}
