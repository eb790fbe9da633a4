/// A workspace's contents at one moment: what a command may change. Every part is a value,
/// so taking one costs no copying (the tensors are shared until written).
public struct WorkspaceSnapshot: Sendable {
    let seed: UInt64
    let data: DatasetSplit?
    let variants: VariantTable
    let lastTrace: Trace?
    let lastDistillation: DistillationExample?
}

extension Workspace {
    /// The contents as they are now.
    public func snapshot() -> WorkspaceSnapshot {
        WorkspaceSnapshot(seed: seed, data: data, variants: variants, lastTrace: lastTrace,
                          lastDistillation: lastDistillation)
    }

    /// Puts back the contents of `snapshot`: the REPL does it when a command fails or is
    /// stopped (Ctrl-C, also at a paused step), so such a command leaves the workspace exactly
    /// as it found it, whatever it had done so far.
    public func restore(_ snapshot: WorkspaceSnapshot) {
        seed = snapshot.seed
        data = snapshot.data
        variants = snapshot.variants
        lastTrace = snapshot.lastTrace
        lastDistillation = snapshot.lastDistillation
    }
}
