/// What `distill` is asked to do: the loss, the training run, how many samples the student
/// has labels for, and the seeds to repeat it with.
public struct DistillationOptions: Sendable, Equatable {
    /// T, α and the T² correction.
    public var loss: DistillationLoss
    /// Epochs, learning rate, batch, optimizer, schedule, weight decay; `seed` is replaced by
    /// each of `seeds` in turn.
    public var training: TrainingOptions
    /// How many training samples the student gets labels for (all by default). The teacher's
    /// soft targets cover every training sample.
    public var labeled: LabeledBudget
    /// One run per seed: it seeds the student's initial weights (for a new architecture), the
    /// choice of labeled samples and the shuffling. The first seed's students are kept.
    public var seeds: [UInt64]
    /// The training sample whose numbers the report shows; nil: the first labeled one.
    public var sampleIndex: Int?
    /// Whether to train the same student on the labels alone, with the same budget, to compare.
    public var comparesWithScratch: Bool

    public init(loss: DistillationLoss = DistillationLoss(), training: TrainingOptions = TrainingOptions(),
                labeled: LabeledBudget = .all, seeds: [UInt64] = [0], sampleIndex: Int? = nil,
                comparesWithScratch: Bool = true) {
        self.loss = loss
        self.training = training
        self.labeled = labeled
        self.seeds = seeds
        self.sampleIndex = sampleIndex
        self.comparesWithScratch = comparesWithScratch
    }

    /// The most seeds one command runs.
    public static let maximumSeeds = 10

    /// Checks every value that does not depend on the data.
    public func validate() throws {
        try loss.validate()
        try training.validate()
        guard !seeds.isEmpty, seeds.count <= Self.maximumSeeds else {
            throw DistillationError.invalidOption(option: "seeds", value: seeds.map(String.init).joined(separator: ","),
                                                  allowed: "1 to \(Self.maximumSeeds) seeds, like 0,1,2")
        }
        guard Set(seeds).count == seeds.count else {
            throw DistillationError.invalidOption(option: "seeds", value: seeds.map(String.init).joined(separator: ","),
                                                  allowed: "different seeds (each repeats the run)")
        }
    }
}

/// Who learns from the teacher: a new network built from an architecture (`mlp 64-16-10`),
/// or a copy of an existing variant (a pruned or quantized one, say), which is left as it was.
public enum DistillationStudent: Sendable, Equatable, CustomStringConvertible {
    case architecture(String)
    case variant(String)

    public var description: String {
        switch self {
        case .architecture(let text): return "new \(text)"
        case .variant(let name): return "variant \(name)"
        }
    }
}
