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
