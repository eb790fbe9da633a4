/// The work limit of the commands that train, checked before they start (see
/// ``ResourceBudget/checkWork(_:for:)``): long but legal runs stay interruptible with Ctrl-C
/// and show their progress; runs past the limit are refused with what they would take.
extension Workspace {
    /// Refuses `epochs` epochs of training `model` on `rows` training rows (with
    /// `evaluationRows` evaluated after each epoch) plus `extra` multiply-adds of other work,
    /// when that is beyond `budget.maxWork`. `what` names the command.
    public func checkTrainingWork(_ model: Model, rows: Int, evaluationRows: Int = 0, epochs: Int,
                                  extra: Int? = 0, what: String) throws {
        let work = ResourceBudget.sum([ResourceBudget.trainingWork(model, trainRows: rows, evaluationRows: evaluationRows,
                                                                   epochs: max(0, epochs)), extra])
        try budget.checkWork(work, for: "\(what) (\(ResourceError.grouped(epochs)) epochs × \(ResourceError.grouped(rows)) rows of \(model.architecture.specification))")
    }

    /// The check of `train`: variant `name` (current when nil) trained on `data` as `options` say.
    public func checkTrainingWork(_ name: String? = nil, data: DatasetSplit, options: TrainingOptions) throws {
        try checkTrainingWork(try variants.variant(named: name).model, rows: data.train.count,
                              evaluationRows: options.evaluatesEachEpoch ? data.test.count : 0,
                              epochs: options.epochs, what: "train epochs=\(options.epochs)")
    }

}
