import SlimLab

extension PruningScope: ArgumentValue {}
extension PruningScheduleKind: ArgumentValue {}
extension WeightNorm: ArgumentValue {}
extension SensitivityMethod: ArgumentValue {}

/// `prune magnitude|structured|sensitivity …`: the pruning techniques. Each makes a new
/// variant (or, for sensitivity, only measures) and leaves its source as it was.
enum PruneCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "prune", topic: .compression,
        summary: "remove weights or whole neurons, step by step, into a new variant",
        discussion: """
            magnitude removes the individual weights of smallest |w| (unstructured: the layer \
            keeps its shape and gains zeros); structured removes whole neurons or filters of \
            smallest norm (the layer shrinks); sensitivity prunes each layer alone at several \
            levels to show which layers are fragile. The source variant is never changed and \
            stays current.
            """,
        subcommands: [PruneMagnitudeCommand.self, PruneStructuredCommand.self, PruneSensitivityCommand.self],
        examples: ["prune magnitude sparsity=0.8 scope=global as=p80",
                   "prune structured ratio=0.25 norm=l2",
                   "prune sensitivity sparsities=0.5,0.7,0.9"])
}

/// The line every pruning command ends with: what was made, its zeros and its accuracy.
func printPruningSummary(_ outcome: PruningOutcome, context: CommandContext) throws {
    let model = try context.workspace.variants.variant(named: outcome.variant).model
    let weights = model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) }
    let total = LayerSparsity.total(of: weights)
    var line = "made \(outcome.variant) from \(outcome.source): \(NumberFormatting.grouped(total.zeros)) of \(NumberFormatting.grouped(total.parameters)) weights are zero (\(NumberFormatting.percent(total.sparsity))), \(NumberFormatting.grouped(model.parameterCount)) parameters, \(NumberFormatting.bytes(model.storedByteCount)) as stored"
    for step in outcome.report.steps {
        for case .accuracy(let before, let after) in step.items where step.title == "Measure the accuracy" {
            line += "; " + PruneReportRenderer(context: context).accuracyLine(before: before, after: after)
        }
    }
    context.print(line + "; " + TechniqueSummaryLines.currentNote(outcome.variant, in: context))
}
