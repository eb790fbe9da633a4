/// What a technique did, as one value for the REPL to draw (SlimLab never prints): a title,
/// numbered steps of typed items, the result, the summary of what the new variant changed
/// against its source, and the variant's name. Every technique — magnitude and structured
/// pruning, fine-tuning, quantization, QAT, distillation, weight sharing, Deep Compression —
/// returns one, so one renderer draws them all and `detail=brief` means the same everywhere:
/// the title, the result steps' items and `result`, and the summary, without the other steps.
public struct TechniqueOutcome: Sendable {
    /// One line saying what was done (`global magnitude pruning to sparsity 0.8: baseline → p80`).
    public var title: String
    /// The steps, in order.
    public var steps: [TechniqueStep]
    /// What the run comes to outside any step (a loss curve), shown in brief as well.
    public var result: [TechniqueItem]
    /// Size, accuracy and (when measured) latency of the new variant against its source.
    public var summary: TechniqueSummary
    /// Further lines of the summary (`runs on   the int8 engine: …`).
    public var facts: [Fact]
    /// The variant read, and the one made (or changed in place).
    public var source: String
    public var variant: String
    /// What was made, as the closing line says it (`p80 from baseline: 3,788 of 4,736 weights
    /// are zero`); nil when nothing new was made (fine-tuning in place).
    public var made: Phrase?
    /// The technique's own numbers, for callers that look further than the steps.
    public var record: Record

    public init(title: String, steps: [TechniqueStep] = [], result: [TechniqueItem] = [],
                summary: TechniqueSummary, facts: [Fact] = [], made: Phrase?, record: Record = .none) {
        self.title = title
        self.steps = steps
        self.result = result
        self.summary = summary
        self.facts = facts
        self.source = summary.source
        self.variant = summary.variant
        self.made = made
        self.record = record
    }

    /// A labeled line of the summary.
    public struct Fact: Sendable, Equatable {
        public var label: String
        public var text: Phrase

        public init(_ label: String, _ text: Phrase) {
            self.label = label
            self.text = text
        }
    }

    /// The numbers a technique computed beyond its steps.
    public enum Record: Sendable {
        case none
        case training(TrainingReport)
        case quantization(QuantizationRun)
        case quantizationAwareTraining(QATRun)
        case distillation(DistillationReport)
        case clustering(ClusteringReport)
        case deepCompression(DeepCompressionReport)
    }

    /// The formulas of every step, in order (handy for tests).
    public var formulas: [Formula] { steps.flatMap(\.formulas) }

    // MARK: Records

    public var trainingReport: TrainingReport? { if case .training(let r) = record { r } else { nil } }
    public var quantizationRun: QuantizationRun? { if case .quantization(let r) = record { r } else { nil } }
    public var qatRun: QATRun? { if case .quantizationAwareTraining(let r) = record { r } else { nil } }
    public var distillation: DistillationReport? { if case .distillation(let r) = record { r } else { nil } }
    public var clustering: ClusteringReport? { if case .clustering(let r) = record { r } else { nil } }
    public var deepCompression: DeepCompressionReport? { if case .deepCompression(let r) = record { r } else { nil } }
}
