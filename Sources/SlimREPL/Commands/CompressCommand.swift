import SlimLab

/// `compress deep …`: compression pipelines that chain several techniques.
enum CompressCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "compress", topic: .compression,
        summary: "run a whole compression pipeline into a new variant",
        discussion: """
            deep is Han, Mao & Dally's Deep Compression: magnitude pruning with fine-tuning, \
            weight sharing by k-means with centroid fine-tuning, then Huffman coding of the \
            weight indices and the relative sparse indices, written to a file.
            """,
        subcommands: [CompressDeepCommand.self],
        examples: ["compress deep file=lenet300.sldc", "compress deep sparsity=0.9 k=16 epochs=2 qepochs=1"])
}

/// `compress deep [sparsity=0.92] [k=32] [init=linear] [epochs=8] [qepochs=2] [lr=0.0005]
/// [wd=0.0005] [batch=64] [file=PATH] [from=VARIANT] [as=NAME] [detail=full|brief]`.
struct CompressDeepCommand: REPLCommand {
    static let defaults = DeepCompressionOptions()
    static let sparsity = Option<Double>("sparsity", default: defaults.sparsity, in: 0.0..<1.0,
                                         summary: "the fraction of weights pruned (one global threshold)")
    static let clusters = Option<Int>("k", default: defaults.clusters, in: 2...WeightClustering.maximumClusters,
                                      summary: "shared values per layer")
    static let initialization = Option<CentroidInitialization>("init", default: defaults.initialization,
                                                               summary: "where k-means starts its centroids")
    static let epochs = Option<Int>("epochs", default: defaults.pruneEpochs, in: 0...1000,
                                    summary: "fine-tuning epochs after pruning")
    static let sharedEpochs = Option<Int>("qepochs", default: defaults.clusterEpochs, in: 0...1000,
                                          summary: "centroid fine-tuning epochs after weight sharing")
    static let learningRate = Option<Float>("lr", default: defaults.learningRate, in: Float(1e-7)...10,
                                            summary: "learning rate of both fine-tunings")
    static let weightDecay = Option<Float>("wd", default: defaults.weightDecay, in: Float(0)...Float(0.999),
                                           summary: "L2 weight decay of both fine-tunings")
    static let batch = Option<Int>("batch", default: defaults.batchSize, in: 1...65_536,
                                   summary: "samples per update of both fine-tunings")
    static let file = Option<String>("file", defaultDescription: "no file", kind: .name([.path]), placeholder: "PATH",
                                     summary: "where to write the compressed model (.sldc)")
    static let source = Option.source("the variant to compress")
    static let name = Option.newVariant("SOURCE-deep")

    static let configuration = CommandConfiguration(
        name: "deep", summary: "prune → share weights → Huffman-code, with the paper's table",
        discussion: """
            Stage 1 prunes the smallest weights (one global threshold) and fine-tunes with the \
            masks; stage 2 shares k values per layer by k-means and fine-tunes the centroids; \
            stage 3 Huffman-codes the centroid indices and the gaps between kept weights (5 bits \
            for Dense, 8 for convolutions, a filler zero where a gap is longer) and writes the \
            file. The table beside the paper's counts every byte the file holds.
            """,
        arguments: [sparsity, clusters, initialization, epochs, sharedEpochs, learningRate, weightDecay, batch, file, source,
                    name,
                    Option<TechniqueDetail>.detail],
        examples: ["compress deep file=lenet300.sldc", "compress deep sparsity=0.9 k=16 as=tiny"])

    let options: DeepCompressionOptions
    let file: String?
    let source: String?
    let name: String?
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        var options = DeepCompressionOptions()
        options.sparsity = try arguments.value(Self.sparsity)
        options.clusters = try arguments.value(Self.clusters)
        options.initialization = try arguments.value(Self.initialization)
        options.pruneEpochs = try arguments.value(Self.epochs)
        options.clusterEpochs = try arguments.value(Self.sharedEpochs)
        options.learningRate = try arguments.value(Self.learningRate)
        options.weightDecay = try arguments.value(Self.weightDecay)
        options.batchSize = try arguments.value(Self.batch)
        self.options = options
        file = try arguments.optionalValue(Self.file)
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: source)
        _ = try context.workspace.requireData("compress deep")
    }

    func run(in context: CommandContext) throws {
        let progress = TrainingProgress(context, label: "fine-tuning", epochs: options.pruneEpochs + options.clusterEpochs)
        defer { progress.finish() }
        let outcome = try context.workspace.deepCompress(source, options: options, name: name, path: file,
                                                         observer: progress.observe)
        progress.finish()
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
