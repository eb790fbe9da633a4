import SlimKernels

/// What `cluster` was asked to do.
public struct ClusteringOptions: Sendable, Equatable {
    /// k, the shared values per tensor.
    public var clusters: Int = 16
    public var initialization: CentroidInitialization = .linear
    /// The layers to cluster (`fc1`, `conv2.weight`); nil for every weight.
    public var layers: [String]? = nil

    public init(clusters: Int = 16, initialization: CentroidInitialization = .linear, layers: [String]? = nil) {
        self.clusters = clusters
        self.initialization = initialization
        self.layers = layers
    }
}

extension Workspace {
    /// Clusters the weights of variant `source` (the current one when nil) into a new variant
    /// `name` (by default `SOURCE-kK`); the source and the current model stay as they were. A
    /// pruned source keeps its masks and its sparse storage.
    @discardableResult
    public func cluster(_ source: String? = nil, options: ClusteringOptions, name: String? = nil) throws -> TechniqueOutcome {
        let sourceVariant = try variants.variant(named: source)
        let target = try variants.newName(name, default: "\(sourceVariant.name)-k\(options.clusters)")
        try checkModelFitsData(sourceVariant.name)
        let clustered = try WeightClustering.cluster(sourceVariant.model, k: options.clusters, initialization: options.initialization,
                                                     layers: options.layers, seed: seed)
        var model = clustered.model
        if !model.pruningMasks.isEmpty {
            model = try SparseStorage.apply(to: model, crossover: sparseCrossover, batch: Comparison.batchSize, pool: pool).model
        }
        let variant = try variants.addDerived(
            from: sourceVariant, name: target, model: model,
            origin: "\(options.clusters) shared weights per layer (\(options.initialization.rawValue) k-means) of \(sourceVariant.name)")
        let summary = try summarize(source: sourceVariant, variant: variant)
        let report = ClusteringReport(source: sourceVariant.name, variant: target, clusters: options.clusters,
                                      initialization: options.initialization, layers: clustered.layers,
                                      picture: clustered.picture, example: clustered.example,
                                      accuracyBefore: summary.accuracyBefore, accuracyAfter: summary.accuracyAfter)
        return keep(TechniqueOutcome(title: report.title, steps: report.steps, summary: summary,
                                made: "\(target): every tensor holds ≤ \(options.clusters) distinct values",
                                record: .clustering(report)))
    }
}
