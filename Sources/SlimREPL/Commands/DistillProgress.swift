import SlimLab

/// The progress bar of `distill`: one bar per training run (each seed's distilled student, then
/// its from-scratch twin), drawn only on a terminal.
final class DistillProgress {
    private let context: CommandContext
    private var bar: ProgressReporter?
    private var label = ""

    init(context: CommandContext) { self.context = context }

    /// Follows one event of the run.
    func observe(_ event: DistillationEvent) {
        switch event {
        case let .runStarted(seed, kind, _):
            label = "seed \(seed) · \(kind == .distilled ? "distilling" : "from scratch")"
        case .training(.batchFinished(let progress)):
            if bar == nil { bar = context.progress(total: progress.epochs * progress.batches, label: label) }
            bar?.update(completed: (progress.epoch - 1) * progress.batches + progress.batch,
                        detail: "epoch \(progress.epoch)/\(progress.epochs) loss \(context.fixed(progress.loss))")
            if progress.epoch == progress.epochs && progress.batch == progress.batches { finish() }
        case .training(.epochFinished):
            break
        }
    }

    /// Ends the bar being drawn, if any.
    func finish() {
        bar?.finish()
        bar = nil
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
