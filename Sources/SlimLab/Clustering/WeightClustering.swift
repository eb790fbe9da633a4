import SlimKernels

/// Weight sharing by 1-D k-means per tensor (Han, Mao & Dally, Deep Compression, §3.1): the
/// weights of a layer are grouped into k clusters, and every weight is replaced by its
/// cluster's centroid, so the layer stores a k-entry codebook and one ⌈log₂ k⌉-bit index per
/// weight. Pruned weights (masked) stay exactly zero and take no index.
public enum WeightClustering {
    /// The largest k (indices of at most 8 bits).
    public static let maximumClusters = 256

    /// ⌈log₂ k⌉ (1 for k = 1 and 2).
    public static func indexBits(_ k: Int) -> Int {
        var bits = 1
        while (1 << bits) < k { bits += 1 }
        return bits
    }

    /// A copy of `model` whose chosen weights share `k` values each, with their codebooks
    /// kept in `model.codebooks` (so `finetune` trains the centroids), and what was done.
    /// - Parameters:
    ///   - layers: layer or weight names (`fc1`, `conv2.weight`); nil for every weight.
    ///   - coding: how the stored indices are written (`compress deep` Huffman-codes them).
    public static func cluster(_ model: Model, k: Int, initialization: CentroidInitialization,
                               layers: [String]? = nil, seed: UInt64 = 0, bins: Int = 48,
                               coding: SharedIndexCoding = .fixed)
        throws -> (model: Model, layers: [ClusteredLayer], picture: CentroidPicture, example: AssignmentExample) {
        guard k >= 2 && k <= maximumClusters else { throw ClusteringError.clusterCountOutOfRange(k) }
        let chosen = try LayerSelection.select(layers, from: model.prunableWeights)
        var result = model
        result.inferenceEngine = nil
        var summaries: [ClusteredLayer] = []
        var picture: CentroidPicture?
        var example: AssignmentExample?
        for weight in chosen {
            let parameter = try model.parameter(named: weight.name)
            if !weight.value.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) {
                throw PruningError.nonFiniteWeight(layer: weight.name)
            }
            let kept = keptIndices(parameter)
            guard !kept.isEmpty else { throw ClusteringError.nothingToCluster(layer: LayerSelection.layerName(of: weight.name)) }
            let values = weight.value.withUnsafeBufferPointer { w in kept.map { w[$0] } }
            let clustering = KMeans1D.cluster(values, k: k, initialization: initialization, seed: seed)
            var assignments = [Int32](repeating: -1, count: weight.value.count)
            for (position, index) in kept.enumerated() { assignments[index] = clustering.assignments[position] }
            let codebook = WeightCodebook(parameter: weight.name, centroids: clustering.centroids, assignments: assignments,
                                          coding: coding)
            let shared = codebook.values(shape: weight.value.shape)
            try result.updateParameter(named: weight.name) { $0.value = shared }
            result.codebooks[weight.name] = codebook

            var squares = 0.0
            for (position, x) in values.enumerated() {
                let d = Double(x - clustering.centroids[Int(clustering.assignments[position])])
                squares += d * d
            }
            let unique = Set(kept.map { shared[flat: $0] }).count
            summaries.append(ClusteredLayer(
                name: weight.name, shape: weight.value.shape, count: weight.value.count, clustered: kept.count,
                clusters: k, uniqueValues: unique, iterations: clustering.iterations, converged: clustering.converged,
                rootMeanSquareError: (squares / Double(kept.count)).squareRoot(),
                storedBytes: codebook.encoding(shape: weight.value.shape).byteCount))
            if picture == nil {
                picture = makePicture(weight.name, values: values, codebook: codebook, clustering: clustering, bins: bins)
                example = makeExample(weight, kept: kept, values: values, clustering: clustering)
            }
        }
        try dropStaleKernels(&result, touched: Set(chosen.map { LayerSelection.layerName(of: $0.name) }))
        return (result, summaries, picture!, example!)
    }

    /// The entries that take part: where the mask keeps them, or all without a mask.
    static func keptIndices(_ parameter: Parameter) -> [Int] {
        guard let mask = parameter.mask else { return Array(0..<parameter.count) }
        return mask.withUnsafeBufferPointer { m in m.indices.filter { m[$0] != 0 } }
    }

    /// Dense layers whose weights changed lose any sparse or quantized kernel built from the old ones.
    static func dropStaleKernels(_ model: inout Model, touched: Set<String>) throws {
        for (index, layer) in model.layers.enumerated() where touched.contains(layer.name) {
            if var dense = layer as? Dense, dense.inferenceKernel != nil {
                dense.inferenceKernel = nil
                try model.replaceLayer(at: index, with: dense)
            }
        }
    }

    private static func makePicture(_ name: String, values: [Float], codebook: WeightCodebook,
                                    clustering: KMeans1D.Result, bins: Int) -> CentroidPicture {
        let histogram = values.withUnsafeBufferPointer { ValueHistogram(values: $0, binCount: bins) }
        return CentroidPicture(parameter: name, low: histogram.lower, high: histogram.upper, counts: histogram.counts,
                               initialCentroids: clustering.initialCentroids, centroids: clustering.centroids,
                               memberCounts: codebook.memberCounts)
    }

    /// The middle one of the kept weights, in row-major order: an ordinary entry.
    private static func makeExample(_ weight: NamedTensor, kept: [Int], values: [Float],
                                    clustering: KMeans1D.Result) -> AssignmentExample {
        let position = values.count / 2
        let x = values[position], index = kept[position]
        let ranked = clustering.centroids.indices.sorted {
            let a = abs(x - clustering.centroids[$0]), b = abs(x - clustering.centroids[$1])
            return a < b || (a == b && $0 < $1)
        }
        let columns = weight.value.rank >= 2 ? weight.value.count / weight.value.shape[0] : weight.value.count
        return AssignmentExample(
            parameter: weight.name, index: index, row: index / columns, column: index % columns, weight: x,
            candidates: ranked.prefix(2).map { ($0, clustering.centroids[$0], abs(x - clustering.centroids[$0])) },
            assigned: Int(clustering.assignments[position]))
    }
}
