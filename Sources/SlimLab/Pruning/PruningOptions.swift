/// What `prune magnitude` was asked to do.
public struct MagnitudePruningOptions: Sendable, Equatable {
    /// S, the target fraction of zero weights, in [0, 1).
    public var sparsity: Double
    /// One threshold per layer (the default, as `torch.nn.utils.prune.l1_unstructured`) or one
    /// for all chosen layers.
    public var scope: PruningScope = .layer
    /// The layers to prune (`fc1`, `fc2.weight`); nil for all weights.
    public var layers: [String]? = nil
    /// How the target is reached.
    public var schedule: PruningScheduleKind = .oneshot
    /// K, the pruning steps of an iterative or gradual schedule.
    public var steps: Int = 4
    /// Δt, the fine-tuning epochs after each step of an iterative or gradual schedule.
    public var epochsPerStep: Int = 2
    /// The learning rate of that fine-tuning.
    public var learningRate: Float = 0.001

    public init(sparsity: Double) {
        self.sparsity = sparsity
    }
}

/// What `finetune` was asked to do.
public struct FinetuneOptions: Sendable, Equatable {
    public var epochs: Int = 10
    public var learningRate: Float = 0.001

    public init(epochs: Int = 10, learningRate: Float = 0.001) {
        self.epochs = epochs
        self.learningRate = learningRate
    }
}
