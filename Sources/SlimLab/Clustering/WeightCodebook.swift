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
    /// How the indices are written when the tensor is stored (`cluster`: fixed width;
    /// `compress deep`: Huffman-coded).
    public var coding: SharedIndexCoding

    public init(parameter: String, centroids: [Float], assignments: [Int32], coding: SharedIndexCoding = .fixed) {
        self.parameter = parameter
        self.centroids = centroids
        self.assignments = assignments
        self.coding = coding
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

    /// The tensor as stored (see `SharedWeightEncoding`).
    public func encoding(shape: [Int]) -> SharedWeightEncoding {
        SharedWeightEncoding(self, shape: shape, coding: coding)
    }

    /// The tensor's size and storage type: `idx4` (4-bit indices), `idx6+gap5` (pruned: 6-bit
    /// indices with 5-bit relative positions), or `huffman`.
    public func storedTensor(shape: [Int]) -> StoredTensor {
        let encoding = encoding(shape: shape)
        let dtype: String
        switch (coding, encoding.gapBits) {
        case (.huffman, _): dtype = "huffman"
        case (.fixed, nil): dtype = "idx\(encoding.fixedSymbolBits)"
        case (.fixed, let gap?): dtype = "idx\(encoding.fixedSymbolBits)+gap\(gap)"
        }
        return StoredTensor(name: parameter, shape: shape, dtype: TensorDType(rawValue: dtype), byteCount: encoding.byteCount)
    }

    /// This codebook for the tensor as it is now, or nil when the tensor no longer shares its
    /// values: entries the mask prunes leave it (they hold 0), every other entry must still
    /// hold its centroid exactly.
    func following(value: Tensor<Float>, mask: Tensor<Float>?) -> WeightCodebook? {
        guard value.count == assignments.count else { return nil }
        var result = self
        let holds: Bool = value.withUnsafeBufferPointer { w in
            for i in 0..<w.count {
                let pruned = mask.map { $0[flat: i] == 0 } ?? false
                if pruned {
                    guard w[i] == 0 else { return false }
                    result.assignments[i] = -1
                } else {
                    let a = assignments[i]
                    guard a >= 0, w[i].bitPattern == centroids[Int(a)].bitPattern else { return false }
                }
            }
            return true
        }
        return holds ? result : nil
    }
}
