import SlimKernels

/// Trains a model with mini-batches on the training part of a split, measuring the test part
/// after every epoch.
///
/// Each epoch visits the training samples in a seeded random order (seed and the model's count
/// of completed epochs), so a run is replayed bit for bit from its seed, on any thread count.
/// The stop signal is polled after every batch: a stopped run keeps the weights of its last
/// completed step and says so in its report.
public enum Trainer {
    /// Trains `model` in place and returns what happened. `observer` hears every batch and
    /// every epoch (for progress bars); it runs on the calling thread.
    public static func train(
        _ model: inout Model, on data: DatasetSplit, options: TrainingOptions = TrainingOptions(),
        pool: ComputePool, stop: StopSignal? = nil,
        observer: ((TrainingEvent) -> Void)? = nil
    ) throws -> TrainingReport {
        try options.validate()
        let train = data.train
        guard train.count > 0 else { throw TrainingError.emptyTrainingSet }
        do {
            try model.checkCompatible(with: train)
        } catch let error as ModelError {
            throw TrainingError.dataMismatch(error.description)
        }

        let clock = ContinuousClock()
        let runStart = clock.now
        let batchSize = min(options.batchSize, train.count)
        let batches = (train.count + batchSize - 1) / batchSize
        let totalSteps = batches * options.epochs
        var optimizer = Optimizer(options: options)
        var sharing = SharedWeightTraining(options: options, model: model)
        var records: [EpochRecord] = []
        var stopped = false

        epochLoop: for epoch in 0..<options.epochs {
            let epochStart = clock.now
            var generator = SeededGenerator(seed: shuffleSeed(options.seed, epoch: model.completedEpochs))
            let order = generator.permutation(train.count)
            var lossSum: Double = 0, correct = 0, seen = 0
            let firstRate = rate(options, step: epoch * batches, totalSteps: totalSteps, epoch: epoch)
            var batchesDone = 0

            for batch in 0..<batches {
                let indices = order[(batch * batchSize)..<min(train.count, (batch + 1) * batchSize)]
                let features = train.features.gatherRows(indices)
                let labels = indices.map { train.labels[$0] }
                let logits = model.trainingForward(features, pool: pool)
                let result = SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels)
                model.backward(result.logitGradient, pool: pool)
                let learningRate = rate(options, step: epoch * batches + batch, totalSteps: totalSteps, epoch: epoch)
                optimizer.step(&model, learningRate: learningRate, pool: pool)
                sharing.step(&model, learningRate: learningRate)

                lossSum += result.loss * Double(labels.count)
                correct += result.correctCount
                seen += labels.count
                batchesDone = batch + 1
                observer?(.batchFinished(TrainingProgress(
                    epoch: epoch + 1, epochs: options.epochs, batch: batch + 1, batches: batches,
                    loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                    learningRate: learningRate, elapsedSeconds: seconds(runStart.duration(to: clock.now)),
                    epochElapsedSeconds: seconds(epochStart.duration(to: clock.now)))))
                if stop?.isRequested == true && batch + 1 < batches {
                    stopped = true
                    break
                }
            }
            let epochSeconds = seconds(epochStart.duration(to: clock.now))
            if !stopped { model.completedEpochs += 1 }
            model.releaseTrainingState()
            let testAccuracy = options.evaluatesEachEpoch && data.test.count > 0
                ? try model.accuracy(on: data.test, pool: pool) : nil
            let validationAccuracy = try data.validation.flatMap { part in
                options.evaluatesEachEpoch && part.count > 0 ? try model.accuracy(on: part, pool: pool) : nil
            }
            let record = EpochRecord(
                epoch: epoch + 1, modelEpoch: model.completedEpochs, loss: lossSum / Double(max(1, seen)),
                trainAccuracy: Double(correct) / Double(max(1, seen)), testAccuracy: testAccuracy,
                validationAccuracy: validationAccuracy,
                learningRate: firstRate, batchesDone: batchesDone, batches: batches, seconds: epochSeconds)
            records.append(record)
            observer?(.epochFinished(record))
            if stopped { break epochLoop }
            if stop?.isRequested == true && epoch + 1 < options.epochs {
                stopped = true
                break epochLoop
            }
        }
        model.releaseTrainingState()
        model.settleWeightsOnStorage()
        return TrainingReport(options: options, trainCount: train.count, testCount: data.test.count,
                              epochs: records, stopped: stopped, steps: optimizer.stepCount,
                              lastUpdate: optimizer.lastUpdate, seconds: seconds(runStart.duration(to: clock.now)))
    }

    /// The seed of the shuffle of the model's epoch number `epoch` (0-based, counted over runs).
    static func shuffleSeed(_ seed: UInt64, epoch: Int) -> UInt64 {
        seed ^ (UInt64(epoch + 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    private static func rate(_ options: TrainingOptions, step: Int, totalSteps: Int, epoch: Int) -> Float {
        options.schedule.rate(base: options.learningRate, step: step, totalSteps: totalSteps, epoch: epoch,
                              totalEpochs: options.epochs, stepEpochs: options.stepEpochs,
                              stepFactor: options.stepFactor)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
