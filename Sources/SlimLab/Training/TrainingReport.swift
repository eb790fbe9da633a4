/// Where a training run is, sent to the observer after every batch so that the REPL can draw
/// a progress bar (epoch, batch, loss, accuracy, ETA).
public struct TrainingProgress: Sendable, Equatable {
    /// The epoch in this run (1-based) and the run's number of epochs.
    public var epoch: Int
    public var epochs: Int
    /// The batch in this epoch (1-based) and the epoch's number of batches.
    public var batch: Int
    public var batches: Int
    /// Mean loss and accuracy over this epoch's batches so far.
    public var loss: Double
    public var accuracy: Double
    public var learningRate: Float
    /// Seconds since the run started and since this epoch started; with the fractions done,
    /// the estimated time left is elapsed · (1 − done) / done.
    public var elapsedSeconds: Double
    public var epochElapsedSeconds: Double

    /// The fraction of the whole run done after this batch.
    public var fractionDone: Double {
        (Double(epoch - 1) + Double(batch) / Double(max(1, batches))) / Double(max(1, epochs))
    }
}

/// One epoch's numbers.
public struct EpochRecord: Sendable, Equatable {
    /// The epoch in this run (1-based) and the model's total after it (continuing runs count on).
    public var epoch: Int
    public var modelEpoch: Int
    /// Mean training loss and training accuracy over the epoch's batches (as the weights moved).
    public var loss: Double
    public var trainAccuracy: Double
    /// Accuracy on the test part after the epoch (nil when not measured).
    public var testAccuracy: Double?
    /// Accuracy on the validation part after the epoch (nil without one, or when not measured):
    /// what to choose settings on, leaving the test part for the final number.
    public var validationAccuracy: Double? = nil
    /// The learning rate of the epoch's first batch.
    public var learningRate: Float
    /// Batches done (fewer than `batches` when the run was stopped inside this epoch).
    public var batchesDone: Int
    public var batches: Int
    /// Wall time of the epoch (training steps only, not the test evaluation).
    public var seconds: Double

    /// Whether every batch of the epoch ran.
    public var isComplete: Bool { batchesDone == batches }
}

/// What a training observer hears.
public enum TrainingEvent: Sendable {
    case batchFinished(TrainingProgress)
    case epochFinished(EpochRecord)
}

/// The outcome of a training run, as values for the REPL to render.
public struct TrainingReport: Sendable {
    public var options: TrainingOptions
    public var trainCount: Int
    public var testCount: Int
    /// One record per epoch run, the last possibly incomplete when `stopped`.
    public var epochs: [EpochRecord]
    /// True when a stop request ended the run early; the model keeps its last completed step.
    public var stopped: Bool
    /// Optimizer steps done in this run.
    public var steps: Int
    /// The last update of one weight, for `formula sgd|adam`.
    public var lastUpdate: UpdateExample?
    /// Wall time of the whole run.
    public var seconds: Double

    /// The loss of every epoch, for a sparkline.
    public var losses: [Double] { epochs.map(\.loss) }
    /// The test accuracy after the last epoch that measured it.
    public var finalTestAccuracy: Double? { epochs.last(where: { $0.testAccuracy != nil })?.testAccuracy }
}
