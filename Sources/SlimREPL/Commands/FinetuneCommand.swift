import SlimLab

/// `finetune [epochs=10] [lr=0.001] [from=VARIANT] [as=NAME] [detail=full|brief]`: training that keeps pruned
/// weights at zero (and a quantized variant quantized: its kernels follow the weights).
struct FinetuneCommand: REPLCommand {
    static let epochs = Option<Int>("epochs", default: 10, in: 1...10_000, summary: "passes over the training set")
    static let learningRate = Option<Float>("lr", default: 0.001, in: Float(1e-7)...10,
                                            summary: "learning rate (lower than for training from scratch)")
    static let source = Option<String>("from", defaultDescription: "the current model", kind: .name([.variant]),
                                       summary: "the variant to fine-tune (in place, unless as= names a copy)")
    static let name = Option<String>.newVariant("fine-tune in place",
                                                summary: "fine-tune a copy with this name instead (the source stays as it is)")

    static let configuration = CommandConfiguration(
        name: "finetune", topic: .training,
        summary: "train a pruned model with its masks: pruned weights stay exactly zero",
        discussion: """
            Like train, with each weight's mask applied twice per step: g ← g ⊙ m (a pruned \
            weight gets no gradient) and w ← w ⊙ m after the update (momentum and weight decay \
            cannot revive it). The kept weights learn to make up for the removed ones. A quantized \
            variant stays quantized: its codes are derived again from the trained weights. A copy \
            made with as= does not become current. Ctrl-C leaves the variant as it was.
            """,
        arguments: [epochs, learningRate, source, name, Option<TechniqueDetail>.detail],
        examples: ["finetune", "finetune epochs=5 lr=0.0005", "finetune from=p90 as=p90-ft"])

    let options: FinetuneOptions
    let source: String?
    let name: String?
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        options = FinetuneOptions(epochs: try arguments.value(Self.epochs), learningRate: try arguments.value(Self.learningRate))
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: source)
        _ = try context.requireData()
    }

    func run(in context: CommandContext) throws {
        let progress = TrainingProgress(context, label: "finetune")
        defer { progress.finish() }
        let outcome = try context.workspace.finetune(source, options: options, as: name, observer: progress.observe)
        progress.finish()
        // Stopped part-way, the fine-tuning is not kept: the session puts the variant back.
        if outcome.trainingReport?.stopped == true { throw CommandStopped() }
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
