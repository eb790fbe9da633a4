/// What a pruning run did, step by step, as values the REPL renders (SlimLab never prints):
/// each step has a title and items — notes, formulas with the numbers substituted, tensors
/// before and after, histograms, tables, rankings, schedules.
public struct PruningReport: Sendable {
    /// One line saying what was done ("global magnitude pruning to sparsity 0.8").
    public var title: String
    public var steps: [PruningStep]

    public init(title: String, steps: [PruningStep] = []) {
        self.title = title
        self.steps = steps
    }

    /// All formulas of all steps, in order (handy for tests and `formula` look-ups).
    public var formulas: [Formula] {
        steps.flatMap { $0.items.compactMap { if case .formula(let f) = $0 { f } else { nil } } }
    }
}

/// One numbered step of a pruning run.
public struct PruningStep: Sendable {
    public var title: String
    public var items: [PruningReportItem]

    public init(title: String, items: [PruningReportItem] = []) {
        self.title = title
        self.items = items
    }
}

/// One thing a step shows.
public enum PruningReportItem: Sendable {
    /// A sentence of explanation (holding no computed reals, which are the renderer's to format).
    case note(String)
    /// A formula, with this run's numbers substituted.
    case formula(Formula)
    /// A rule in symbols only (`w′ = w ⊙ m`), set apart like a formula.
    case definition(String)
    /// The same window of a tensor before and after.
    case excerpt(before: TensorExcerpt, after: TensorExcerpt)
    /// The distribution of a tensor's values before and after, over the same bins. `after`
    /// counts the kept (non-zero) values only, so the spike of `zerosAfter` zeros does not flatten
    /// it; `threshold` is τ, where the gap around zero ends.
    case histogram(name: String, before: ValueHistogram, after: ValueHistogram, zerosAfter: Int, threshold: Float?)
    /// The per-layer table (parameters, zeros, sparsity, L1, L2); `before` is given when the
    /// table should show what changed.
    case layers(before: [LayerSparsity]?, after: [LayerSparsity])
    /// A layer's units ranked by norm, the removed ones marked.
    case ranking(UnitRanking)
    /// How a layer's tensors changed shape when units were removed.
    case shapes([ShapeChange])
    /// A sparsity schedule as a table (and a sparkline).
    case schedule(SparsitySchedule)
    /// How each Dense weight is stored after pruning: dense and CSR bytes, and which was chosen.
    case storage([SparseLayerDecision])
    /// Test accuracy before and after, in [0, 1].
    case accuracy(before: Double, after: Double)
    /// Fine-tuning that ran inside a step: the test accuracy right after pruning (nil without
    /// test data), the epochs, and the loss and test accuracy after them.
    case training(accuracyAfterPruning: Double?, epochs: Int, loss: Double, accuracy: Double?)
}

/// A tensor whose shape changed when structured pruning shrank its layer.
public struct ShapeChange: Sendable, Equatable {
    public var name: String
    public var before: [Int]
    public var after: [Int]

    public init(name: String, before: [Int], after: [Int]) {
        self.name = name
        self.before = before
        self.after = after
    }
}
