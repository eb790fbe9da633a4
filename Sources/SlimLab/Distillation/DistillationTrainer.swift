import SlimKernels

/// One epoch of distillation, as the report's table shows it.
public struct DistillationEpoch: Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    /// KL(p_t ‖ q_s), the soft term before its weight, averaged over the epoch's samples.
    public var soft: Double
    /// CE(y, softmax(z_s)), the hard term before its weight, averaged over the epoch's labeled
    /// samples (nil when no labeled sample came by).
    public var hard: Double?
    /// α·T²·soft + (1 − α)·hard, averaged over the epoch's batches (weighted by their rows).
    public var loss: Double
    /// The fraction of the epoch's labeled samples the student classified right as it trained
    /// (nil when no labeled sample came by).
    public var trainAccuracy: Double?
    /// Test accuracy after the epoch (nil without test data).
    public var testAccuracy: Double?
    /// The learning rate of the epoch's first batch.
    public var learningRate: Float
    /// Batches done (fewer than `batches` when stopped inside the epoch).
    public var batchesDone: Int
    public var batches: Int
    /// Wall time of the epoch's training steps.
    public var seconds: Double
}

/// The outcome of one distillation training run.
public struct DistillationTraining: Sendable {
    public var epochs: [DistillationEpoch]
    /// Optimizer updates done.
    public var steps: Int
    /// True when a stop request ended the run early.
    public var stopped: Bool
    public var seconds: Double
}

/// The distillation training loop: mini-batches over the transfer set in a seeded order, the
/// student's forward and backward pass on the kernels, `DistillationLoss` between them, and the
/// same optimizer and learning-rate schedule as `train`. The teacher does not run here: its
/// soft targets were computed once (`SoftTargets`) and are gathered batch by batch.
public enum DistillationTrainer {
    /// Trains `student` in place on `transfer`, whose row i has soft targets row i of
    /// `softTargets` and whose label counts only where `labeled[i]` is true.
    public static func train(
        _ student: inout Model, transfer: Dataset, softTargets: SoftTargets, labeled: [Bool], test: Dataset?,
        loss: DistillationLoss, options: TrainingOptions, pool: ComputePool, stop: StopSignal? = nil,
        observer: ((TrainingEvent) -> Void)? = nil
    ) throws -> DistillationTraining {
        try options.validate()
        try loss.validate()
        precondition(softTargets.count == transfer.count && labeled.count == transfer.count,
                     "DistillationTrainer: \(transfer.count) samples, \(softTargets.count) soft targets, \(labeled.count) label flags")
        guard transfer.count > 0 else { throw TrainingError.emptyTrainingSet }

        let clock = ContinuousClock()
        let runStart = clock.now
        let count = transfer.count
        let batchSize = min(options.batchSize, count)
        let batches = (count + batchSize - 1) / batchSize
        let totalSteps = batches * options.epochs
        var optimizer = Optimizer(options: options)
        var records: [DistillationEpoch] = []
        var stopped = false

        for epoch in 0..<options.epochs {
            let epochStart = clock.now
            var generator = SeededGenerator(seed: Trainer.shuffleSeed(options.seed, epoch: student.completedEpochs))
            let order = generator.permutation(count)
            var softSum: Double = 0, hardSum: Double = 0, lossSum: Double = 0
            var seen = 0, labeledSeen = 0, correct = 0, batchesDone = 0
            let firstRate = rate(options, step: epoch * batches, totalSteps: totalSteps, epoch: epoch)

            for batch in 0..<batches {
                let indices = Array(order[(batch * batchSize)..<min(count, (batch + 1) * batchSize)])
                let features = transfer.features.gatherRows(indices)
                let targets = softTargets.probabilities.gatherRows(indices)
                let entropies = indices.map { softTargets.entropies[$0] }
                let labels = indices.map { labeled[$0] ? transfer.labels[$0] : nil }
                let logits = student.trainingForward(features, pool: pool)
                let result = loss.evaluate(studentLogits: logits, teacherProbabilities: targets,
                                           teacherEntropies: entropies, labels: labels)
                student.backward(result.logitGradient, pool: pool)
                let learningRate = rate(options, step: epoch * batches + batch, totalSteps: totalSteps, epoch: epoch)
                optimizer.step(&student, learningRate: learningRate, pool: pool)

                softSum += result.terms.soft * Double(indices.count)
                hardSum += result.terms.hard * Double(result.terms.labeledCount)
                lossSum += result.loss * Double(indices.count)
                seen += indices.count
                labeledSeen += result.terms.labeledCount
                correct += result.terms.correctCount
                batchesDone = batch + 1
                observer?(.batchFinished(TrainingProgress(
                    epoch: epoch + 1, epochs: options.epochs, batch: batch + 1, batches: batches,
                    loss: lossSum / Double(seen), accuracy: labeledSeen == 0 ? 0 : Double(correct) / Double(labeledSeen),
                    learningRate: learningRate, elapsedSeconds: Trainer.seconds(runStart.duration(to: clock.now)),
                    epochElapsedSeconds: Trainer.seconds(epochStart.duration(to: clock.now)))))
                if stop?.isRequested == true {
                    stopped = true
                    break
                }
            }
            let epochSeconds = Trainer.seconds(epochStart.duration(to: clock.now))
            if batchesDone == batches { student.completedEpochs += 1 }
            student.releaseTrainingState()
            let testAccuracy = try test.flatMap { $0.count > 0 ? try student.accuracy(on: $0, pool: pool) : nil }
            let record = DistillationEpoch(
                epoch: epoch + 1, soft: softSum / Double(max(1, seen)),
                hard: labeledSeen == 0 ? nil : hardSum / Double(labeledSeen), loss: lossSum / Double(max(1, seen)),
                trainAccuracy: labeledSeen == 0 ? nil : Double(correct) / Double(labeledSeen), testAccuracy: testAccuracy, learningRate: firstRate, batchesDone: batchesDone, batches: batches,
                seconds: epochSeconds)
            records.append(record)
            observer?(.epochFinished(EpochRecord(
                epoch: epoch + 1, modelEpoch: student.completedEpochs, loss: record.loss,
                trainAccuracy: labeledSeen == 0 ? 0 : Double(correct) / Double(labeledSeen), testAccuracy: testAccuracy,
                learningRate: firstRate, batchesDone: batchesDone, batches: batches, seconds: epochSeconds)))
            if stopped { break }
        }
        student.releaseTrainingState()
        student.settleWeightsOnStorage()
        return DistillationTraining(epochs: records, steps: optimizer.stepCount, stopped: stopped,
                                    seconds: Trainer.seconds(runStart.duration(to: clock.now)))
    }

    private static func rate(_ options: TrainingOptions, step: Int, totalSteps: Int, epoch: Int) -> Float {
        options.schedule.rate(base: options.learningRate, step: step, totalSteps: totalSteps, epoch: epoch,
                              totalEpochs: options.epochs, stepEpochs: options.stepEpochs,
                              stepFactor: options.stepFactor)
    }
}
