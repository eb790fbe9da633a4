/// What clustering did to one weight tensor.
public struct ClusteredLayer: Sendable, Equatable {
    /// The weight's name (`fc1.weight`).
    public var name: String
    public var shape: [Int]
    /// n: the entries of the tensor.
    public var count: Int
    /// The entries that share centroids (not pruned).
    public var clustered: Int
    /// k.
    public var clusters: Int
    /// Distinct values among the shared entries after clustering (≤ k: the check).
    public var uniqueValues: Int
    public var iterations: Int
    public var converged: Bool
    /// √(mean (w − C[I])²) over the shared entries.
    public var rootMeanSquareError: Double
    /// Bytes of the tensor as stored: its codebook and indices (`SharedWeightEncoding`).
    public var storedBytes: Int

    /// ⌈log₂ k⌉, the bits of one index.
    public var indexBits: Int { WeightClustering.indexBits(clusters) }
    /// n·32 bits as fp32, in bytes.
    public var denseBytes: Int { count * 4 }
    /// The bytes as stored: n·log₂k index bits (rounded up to bytes) plus the k fp32
    /// centroids; a pruned tensor stores only its kept entries, each with its relative index.
    public var clusteredBytes: Int { storedBytes }
    /// r = n·b / (n·log₂k + k·b) with b = 32 (Deep Compression, eq. 1).
    public var compressionRate: Double {
        Double(count * 32) / Double(count * indexBits + clusters * 32)
    }
}

/// One weight's way through clustering, for the step that shows it.
public struct AssignmentExample: Sendable, Equatable {
    public var parameter: String
    /// The entry's row-major index and its row and column (first two axes).
    public var index: Int
    public var row: Int
    public var column: Int
    public var weight: Float
    /// The two nearest centroids (index, value, |w − c|), nearest first.
    public var candidates: [(index: Int, value: Float, distance: Float)]
    public var assigned: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.parameter == b.parameter && a.index == b.index && a.weight == b.weight && a.assigned == b.assigned
            && a.candidates.map(\.index) == b.candidates.map(\.index)
    }
}

/// A weight histogram with the centroids over it, for the step that draws them.
public struct CentroidPicture: Sendable, Equatable {
    public var parameter: String
    public var low: Float
    public var high: Float
    /// Weights per bin, evenly spaced from `low` to `high` (pruned entries left out).
    public var counts: [Int]
    public var initialCentroids: [Float]
    public var centroids: [Float]
    public var memberCounts: [Int]
}

/// Everything `cluster` did, for the REPL to render step by step.
public struct ClusteringReport: Sendable, Equatable {
    public var source: String
    public var variant: String
    public var clusters: Int
    public var initialization: CentroidInitialization
    public var layers: [ClusteredLayer]
    public var picture: CentroidPicture
    public var example: AssignmentExample
    public var accuracyBefore: Double?
    public var accuracyAfter: Double?

    /// Whether every tensor has at most k distinct values.
    public var uniqueValuesHold: Bool { layers.allSatisfy { $0.uniqueValues <= $0.clusters } }
}
