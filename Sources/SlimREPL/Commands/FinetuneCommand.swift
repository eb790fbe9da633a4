import SlimLab

/// `finetune [epochs=10] [lr=0.001] [model=VARIANT] [as=NAME]`: training that keeps pruned
/// weights at zero.
struct FinetuneCommand: REPLCommand {
    static let epochs = Option<Int>("epochs", default: 10, in: 1...10_000, summary: "passes over the training set")
    static let learningRate = Option<Float>("lr", default: 0.001, in: Float(1e-7)...10,
                                            summary: "learning rate (lower than for training from scratch)")
    static let model = Option<String>("model", defaultDescription: "the current model", kind: .name([.variant]),
                                      summary: "the variant to fine-tune")
    static let name = Option<String>("as", defaultDescription: "fine-tune in place", placeholder: "NAME",
                                     summary: "fine-tune a copy with this name instead (the model stays as it is)")

    static let configuration = CommandConfiguration(
        name: "finetune", topic: .training,
        summary: "train a pruned model with its masks: pruned weights stay exactly zero",
        discussion: """
            Like train, with each weight's mask applied twice per step: g ← g ⊙ m (a pruned \
            weight gets no gradient) and w ← w ⊙ m after the update (momentum and weight decay \
            cannot revive it). The kept weights learn to make up for the removed ones.
            """,
        arguments: [epochs, learningRate, model, name],
        examples: ["finetune", "finetune epochs=5 lr=0.0005", "finetune model=p90 as=p90-ft"])

    let options: FinetuneOptions
    let model: String?
    let name: String?

    init(arguments: ParsedArguments) throws {
        options = FinetuneOptions(epochs: try arguments.value(Self.epochs), learningRate: try arguments.value(Self.learningRate))
        model = try arguments.optionalValue(Self.model)
        name = try arguments.optionalValue(Self.name)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: model)
        if let name {
            guard VariantTable.isValidName(name) else { throw VariantError.invalidName(name) }
            guard !context.workspace.variants.names.contains(name) else { throw VariantError.nameTaken(name) }
        }
        guard context.workspace.data != nil else { throw PruningWorkspaceError.noData("finetune") }
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        let before = try workspace.variants.variant(named: model)
        let zerosBefore = Self.prunedZeros(before.model)
        let accuracyBefore = try before.model.accuracy(on: workspace.data!.test, pool: workspace.pool)
        let progress = context.progress(total: options.epochs, label: "finetune")
        let (target, report) = try workspace.finetune(model, options: options, as: name) { event in
            switch event {
            case .batchFinished(let p):
                progress.update(completed: p.epoch - 1, detail: "loss \(context.fixed(p.loss))")
            case .epochFinished(let r):
                progress.update(completed: r.epoch, detail: "loss \(context.fixed(r.loss))")
            }
        }
        progress.finish()
        let after = try workspace.variants.variant(named: target).model
        let zerosAfter = Self.prunedZeros(after)
        let losses = report.losses
        let where_ = name == nil ? target : "\(before.name) → \(target)"
        context.print("fine-tuned \(where_) for \(report.epochs.count) epoch\(report.epochs.count == 1 ? "" : "s") with its masks (lr \(options.learningRate))")
        if losses.count > 1 {
            context.print("  loss  " + Sparkline.summary(losses, digits: context.precision))
        } else if let loss = losses.first {
            context.print("  loss  \(context.fixed(loss))")
        }
        if zerosBefore.masked > 0 {
            context.print("  masked weights still zero: \(NumberFormatting.grouped(zerosAfter.stillZero)) of \(NumberFormatting.grouped(zerosBefore.masked))")
        } else {
            context.print("  no masks: every weight was trained")
        }
        let accuracyAfter = try report.finalTestAccuracy ?? after.accuracy(on: workspace.data!.test, pool: workspace.pool)
        context.print("  " + PruneReportRenderer(context: context).accuracyLine(before: accuracyBefore, after: accuracyAfter))
        if report.stopped { context.print(context.style("stopped early (Ctrl-C): the weights of the last full step are kept", .warning)) }
    }

    /// How many weights are masked out, and how many of those are exactly zero.
    static func prunedZeros(_ model: Model) -> (masked: Int, stillZero: Int) {
        var masked = 0, zero = 0
        let masks = model.pruningMasks
        for weight in model.prunableWeights {
            guard let mask = masks[weight.name] else { continue }
            for i in 0..<mask.count where mask[flat: i] == 0 {
                masked += 1
                if weight.value[flat: i] == 0 { zero += 1 }
            }
        }
        return (masked, zero)
    }
}
