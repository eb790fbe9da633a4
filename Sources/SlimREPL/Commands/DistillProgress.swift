import SlimLab

/// The progress bar of `distill`: one bar per training run (each seed's distilled student, then
/// its from-scratch twin), drawn only on a terminal.
final class DistillProgress {
    private let context: CommandContext
    private var run: TrainingProgress?

    init(context: CommandContext) { self.context = context }

    /// Follows one event of the run.
    func observe(_ event: DistillationEvent) {
        switch event {
        case let .runStarted(seed, kind, _):
            finish()
            run = TrainingProgress(context, label: "seed \(seed) · \(kind == .distilled ? "distilling" : "from scratch")")
        case .training(let training):
            run?.observe(training)
        }
    }

    /// Ends the bar being drawn, if any.
    func finish() {
        run?.finish()
        run = nil
    }
}

extension LabeledBudget: ArgumentValue {
    public init?(argument: String) { self.init(text: argument) }
    public static var valueKind: ValueKind { .text }
    public var argumentText: String {
        switch self {
        case .all: return "all"
        case .fraction(let f): return NumberFormatting.shortest(f)
        case .count(let n): return String(n)
        }
    }
}
