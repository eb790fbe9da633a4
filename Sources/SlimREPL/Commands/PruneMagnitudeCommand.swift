import SlimLab

/// `prune magnitude sparsity=S [scope=layer|global] [layers=…] [schedule=…] [steps=K]
/// [epochs=E] [lr=X] [from=VARIANT] [as=NAME] [detail=full|brief]`.
struct PruneMagnitudeCommand: REPLCommand {
    static let sparsity = Option<Double>("sparsity", required: true, in: 0.0..<1.0,
                                         summary: "S, the fraction of weights to set to zero")
    static let scope = Option<PruningScope>("scope", default: .layer,
                                            summary: "layer: each layer loses S of its weights; global: one threshold for all")
    static let layers = Option<[String]>("layers", defaultDescription: "every weight", placeholder: "LAYER,…",
                                         summary: "which layers to prune (fc1,fc2)")
    static let schedule = Option<PruningScheduleKind>("schedule", default: .oneshot,
                                                      summary: "oneshot; iterative or gradual: steps with fine-tuning between them")
    static let steps = Option<Int>("steps", default: 4, in: 1...100, summary: "K, pruning steps of a schedule")
    static let epochs = Option<Int>("epochs", default: 2, in: 0...1000, summary: "Δt, fine-tuning epochs after each step")
    static let learningRate = Option<Float>("lr", default: 0.001, in: Float(1e-7)...10, summary: "learning rate of that fine-tuning")
    static let source = Option<String>.source("the variant to prune")
    static let name = Option<String>.newVariant("SOURCE-pS (baseline-p80)")

    static let configuration = CommandConfiguration(
        name: "magnitude", summary: "zero the weights of smallest |w| (unstructured pruning)",
        discussion: """
            Counts k = ⌊n·S⌋ weights to remove, finds the threshold τ (the k-th smallest |w|, over \
            each layer or over all chosen layers with scope=global), builds masks m = [|w| > τ] and \
            sets w′ = w ⊙ m. The masks stay with the new variant: finetune keeps pruned weights at \
            exactly zero. With schedule=iterative or gradual, the target is reached in K steps with \
            E epochs of fine-tuning after each (gradual: s_t = s_f + (s_i − s_f)(1 − t/(nΔt))³).
            """,
        arguments: [sparsity, scope, layers, schedule, steps, epochs, learningRate, source, name, Option<TechniqueDetail>.detail],
        examples: ["prune magnitude sparsity=0.8", "prune magnitude sparsity=0.8 scope=global as=p80",
                   "prune magnitude sparsity=0.9 layers=fc1", "prune magnitude sparsity=0.9 schedule=gradual steps=5 epochs=2"])

    let options: MagnitudePruningOptions
    let source: String?
    let name: String?
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        var options = MagnitudePruningOptions(sparsity: try arguments.value(Self.sparsity))
        options.scope = try arguments.value(Self.scope)
        options.layers = try arguments.optionalValue(Self.layers)
        options.schedule = try arguments.value(Self.schedule)
        options.steps = try arguments.value(Self.steps)
        options.epochsPerStep = try arguments.value(Self.epochs)
        options.learningRate = try arguments.value(Self.learningRate)
        self.options = options
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func validate(in context: CommandContext) throws {
        let variant = try context.workspace.variants.variant(named: source)
        _ = try LayerSelection.select(options.layers, from: variant.model.prunableWeights)
    }

    func run(in context: CommandContext) throws {
        let progress = TrainingProgress(context, label: "fine-tuning", epochs: options.steps * options.epochsPerStep)
        defer { progress.finish() }
        let outcome = try context.workspace.pruneMagnitude(source, options: options, name: name, observer: progress.observe)
        progress.finish()
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
