import SlimLab

/// Everything of a session that a lesson cell or a learner's command can change — models,
/// data, the last trace and distillation, the seed and the display settings — held as values,
/// so the lesson player can keep the lesson's own state apart from the learner's and put
/// either back exactly. (The thread pool and the stop signal are shared, not state: lesson
/// output does not depend on the thread count.)
struct WorkspaceState {
    var variants: VariantTable
    var data: DatasetSplit?
    var lastTrace: Trace?
    var lastDistillation: DistillationExample?
    var seed: UInt64
    var settings: SessionSettings

    /// The state of `context` now.
    init(of context: CommandContext) {
        let workspace = context.workspace
        variants = workspace.variants
        data = workspace.data
        lastTrace = workspace.lastTrace
        lastDistillation = workspace.lastDistillation
        seed = workspace.seed
        settings = context.settings
    }

    /// Makes `context` hold this state.
    func install(in context: CommandContext) {
        let workspace = context.workspace
        workspace.variants = variants
        workspace.data = data
        workspace.lastTrace = lastTrace
        workspace.lastDistillation = lastDistillation
        workspace.seed = seed
        context.settings = settings
    }
}
