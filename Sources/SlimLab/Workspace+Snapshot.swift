/// A workspace's contents at one moment: what a command may change. Every part is a value,
/// so taking one costs no copying (the tensors are shared until written).
public struct WorkspaceSnapshot: Sendable {
    let seed: UInt64
    let data: DatasetSplit?
    let dataRecipe: DatasetRecipe?
    let variants: VariantTable
    let keptVariants: KeptVariants
    let lastTrace: Trace?
    let lastDistillation: DistillationExample?
}

extension Workspace {
    /// The contents as they are now.
    public func snapshot() -> WorkspaceSnapshot {
        WorkspaceSnapshot(seed: seed, data: data, dataRecipe: dataRecipe, variants: variants, keptVariants: keptVariants,
                          lastTrace: lastTrace, lastDistillation: lastDistillation)
    }

    /// Puts back the contents of `snapshot`: the REPL does it when a command fails or is
    /// stopped (Ctrl-C, also at a paused step), so such a command leaves the workspace exactly
    /// as it found it, whatever it had done so far — its models, its data and how that was
    /// loaded, and which models are kept on disk as they are.
    public func restore(_ snapshot: WorkspaceSnapshot) {
        seed = snapshot.seed
        data = snapshot.data
        dataRecipe = snapshot.dataRecipe
        variants = snapshot.variants
        keptVariants = snapshot.keptVariants
        lastTrace = snapshot.lastTrace
        lastDistillation = snapshot.lastDistillation
    }
}
