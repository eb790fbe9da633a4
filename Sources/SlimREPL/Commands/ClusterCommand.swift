import SlimLab

extension CentroidInitialization: ArgumentValue {}

/// `cluster k=16 [init=linear|density|random|kmeans++] [layers=…] [from=VARIANT] [as=NAME] [detail=full|brief]`:
/// weight sharing by k-means per layer, into a new variant.
struct ClusterCommand: REPLCommand {
    static let clusters = Option<Int>("k", default: 16, in: 2...WeightClustering.maximumClusters,
                                      summary: "shared values per layer (16 = 4-bit indices)")
    static let initialization = Option<CentroidInitialization>("init", default: .linear,
                                                               summary: "where k-means starts its centroids")
    static let layers = Option<[String]>("layers", defaultDescription: "every weight", placeholder: "LAYER,…",
                                         summary: "which layers to cluster (fc1,fc2)")
    static let source = Option.source("the variant to cluster")
    static let name = Option.newVariant("SOURCE-kK (baseline-k16)")

    static let configuration = CommandConfiguration(
        name: "cluster", topic: .compression,
        summary: "share weights: k values per layer by 1-D k-means (Deep Compression's trained quantization)",
        discussion: """
            Groups each layer's weights into k clusters by 1-D k-means (deterministic) and replaces \
            every weight by its cluster's centroid: the layer then stores k fp32 centroids and one \
            ⌈log₂ k⌉-bit index per weight, r = n·32 / (n·log₂k + k·32) smaller. Pruned weights stay \
            zero. finetune on the new variant trains the centroids with the summed gradients of \
            their members, ∂L/∂C_k = Σ ∂L/∂W_ij·1(I_ij = k), and keeps every assignment.
            """,
        arguments: [clusters, initialization, layers, source, name, Option<TechniqueDetail>.detail],
        examples: ["cluster k=16", "cluster k=32 init=density as=k32d", "cluster k=4 layers=fc1 from=baseline"])

    let options: ClusteringOptions
    let source: String?
    let name: String?
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        options = ClusteringOptions(clusters: try arguments.value(Self.clusters),
                                    initialization: try arguments.value(Self.initialization),
                                    layers: try arguments.optionalValue(Self.layers))
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func validate(in context: CommandContext) throws {
        let variant = try context.workspace.variants.variant(named: source)
        _ = try LayerSelection.select(options.layers, from: variant.model.prunableWeights)
    }

    func run(in context: CommandContext) throws {
        let outcome = try context.workspace.cluster(source, options: options, name: name)
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
