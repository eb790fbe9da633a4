import SlimLab

/// The progress bar of a technique that trains: one bar over every epoch the technique trains,
/// across its training runs (a schedule's fine-tunings, Deep Compression's two), sized from
/// the first batch. It draws only on a terminal.
final class TrainingProgress {
    private let context: CommandContext
    private let label: String
    private let epochs: Int?
    private var bar: ProgressReporter?
    private var finishedEpochs = 0

    /// `epochs`: the epochs of all runs together; nil: those of the first run.
    init(_ context: CommandContext, label: String, epochs: Int? = nil) {
        self.context = context
        self.label = label
        self.epochs = epochs
    }

    /// Follows one event of a run.
    func observe(_ event: TrainingEvent) {
        switch event {
        case .batchFinished(let p):
            if bar == nil { bar = context.progress(total: max(1, (epochs ?? p.epochs) * p.batches), label: label) }
            bar?.update(completed: finishedEpochs * p.batches + p.batch,
                        detail: "epoch \(p.epoch)/\(p.epochs) loss \(context.fixed(p.loss))")
        case .epochFinished:
            finishedEpochs += 1
        }
    }

    /// Removes the bar, if one is drawn.
    func finish() {
        bar?.finish()
        bar = nil
    }
}
