import SlimKernels

/// Everything a session has made: its datasets and its model variants, with the compute
/// resources they run on. Commands receive the workspace; it does no parsing or printing.
public final class Workspace {
    /// The threads every kernel call of this session uses (`set threads=N` resizes it).
    public let pool: ComputePool
    /// The seed that fresh generators start from (`set seed=N`).
    public var seed: UInt64
    /// Raised by Ctrl-C; long computations poll it at safe points.
    public let stop: StopSignal
    /// The loaded dataset, split and normalized (`data load`); `nil` until one is loaded.
    public var data: DatasetSplit?
    /// What one command may allocate and compute (`set max-memory=` raises the memory limit).
    public var budget = ResourceBudget()

    public init(threads: Int = ComputePool.availableCores, seed: UInt64 = 0, stop: StopSignal = StopSignal()) {
        self.pool = ComputePool(threads: threads)
        self.seed = seed
        self.stop = stop
    }

    /// The session's models: every variant, the current one and the baseline.
    public var variants = VariantTable()
    /// Where a sparse Dense layer's CSR-vs-dense crossover density is measured, once per shape
    /// per session (pruned layers run on the SpMM only below it).
    public let sparseCrossover = SparseCrossover()
    /// The last `trace`, whose activations (`fc1.out`, …) `show` and `formula` can use.
    public var lastTrace: Trace?
    /// The sample the last `distill` worked through, whose numbers `formula kd|kl` substitute.
    public var lastDistillation: DistillationExample?
    /// The variants kept on disk as they are now (see `KeptVariants`), and how the dataset
    /// was loaded (see `DatasetRecipe`): what `session save` and `quit` need.
    public var keptVariants = KeptVariants()
    public var dataRecipe: DatasetRecipe?
}
