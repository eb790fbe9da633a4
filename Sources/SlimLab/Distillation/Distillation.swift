import SlimKernels

/// Which of a seed's two students is training.
public enum DistillationRunKind: String, Sendable {
    /// The student learning from the teacher's soft targets (and the labels it has).
    case distilled
    /// The same student learning from its labels alone.
    case scratch
}

/// What a distillation observer hears: the start of each training run, then its batches and
/// epochs (for progress bars).
public enum DistillationEvent: Sendable {
    case runStarted(seed: UInt64, kind: DistillationRunKind, epochs: Int)
    case training(TrainingEvent)
}

/// A finished distillation: the report and the first seed's two students.
public struct DistillationRun: Sendable {
    public var report: DistillationReport
    /// The first seed's distilled student.
    public var distilled: Model
    /// The first seed's from-scratch student (nil when not asked for).
    public var scratch: Model?
}

/// Knowledge distillation (Hinton, Vinyals & Dean, 2015): a student network learns from a
/// trained teacher's softened outputs, p_t = softmax(z_t/T), as well as from the labels it has.
///
/// The teacher runs once over the training part (the transfer set); then, for every seed, a
/// student trains on `DistillationLoss` and — for the comparison — the same student (same
/// initial weights, optimizer, learning rate, batch and seed) trains on its labeled samples
/// alone for as many updates. With `labeled=` below all, the distilled student still sees every
/// training sample through the teacher's soft targets, while the from-scratch student has only
/// its few labeled ones: the setting where distillation pays.
public enum Distillation {
    /// Runs the distillation of `teacher` into the students `makeStudent(seed)` builds (the
    /// same model for every seed when distilling into an existing variant).
    public static func run(
        teacher: Model, teacherName: String, student: DistillationStudent, makeStudent: (UInt64) throws -> Model,
        data: DatasetSplit, options: DistillationOptions, pool: ComputePool, stop: StopSignal? = nil,
        observer: ((DistillationEvent) -> Void)? = nil
    ) throws -> DistillationRun {
        try options.validate()
        let train = data.train, test = data.test
        guard train.count > 0 else { throw TrainingError.emptyTrainingSet }
        let firstStudent = try makeStudent(options.seeds[0])
        try checkPair(teacher: teacher, teacherName: teacherName, student: firstStudent, studentLabel: student)
        try checkData(teacher, label: "the teacher '\(teacherName)'", data: train)
        try checkData(firstStudent, label: "the student (\(firstStudent.architecture.specification))", data: train)
        let labeledCount = try options.labeled.count(of: train.count)
        if let index = options.sampleIndex, !(0..<train.count).contains(index) {
            throw DistillationError.invalidOption(option: "sample", value: "\(index)",
                                                  allowed: "a training sample from 0 to \(train.count - 1)")
        }

        let loss = options.loss
        let softTargets = SoftTargets(teacher: teacher, features: train.features, temperature: loss.temperature, pool: pool)
        let teacherAccuracy = test.count > 0 ? try teacher.accuracy(on: test, pool: pool) : nil

        var results: [DistillationReport.SeedResult] = []
        var example: DistillationExample?
        var scales: [GradientScale] = []
        var gradientRows = 0
        var kept: (distilled: Model, scratch: Model?)?

        for (position, seed) in options.seeds.enumerated() {
            var distilled = position == 0 ? firstStudent : try makeStudent(seed)
            let labeledIndices = labeledCount == train.count
                ? Array(0..<train.count) : train.stratifiedSample(count: labeledCount, seed: seed)
            var labeled = [Bool](repeating: false, count: train.count)
            for index in labeledIndices { labeled[index] = true }

            if position == 0 {
                let index = options.sampleIndex ?? labeledIndices[0]
                example = DistillationExample(sample: index, of: train, softTargets: softTargets, student: distilled,
                                              isLabeled: labeled[index], loss: loss, pool: pool)
                gradientRows = min(options.training.batchSize, train.count)
                scales = GradientScale.measure(student: distilled, transfer: train, teacherLogits: softTargets.logits,
                                               indices: Array(0..<gradientRows),
                                               temperatures: GradientScale.temperatures(including: loss.temperature),
                                               pool: pool)
            }

            var training = options.training
            training.seed = seed
            observer?(.runStarted(seed: seed, kind: .distilled, epochs: training.epochs))
            let distillation = try DistillationTrainer.train(
                &distilled, transfer: train, softTargets: softTargets, labeled: labeled, test: test.count > 0 ? test : nil,
                loss: loss, options: training, pool: pool, stop: stop, observer: observer.map { o in { o(.training($0)) } })
            if distillation.stopped { throw DistillationError.interrupted }
            let distilledAccuracy = distillation.epochs.last?.testAccuracy

            var scratchResult: DistillationReport.ScratchResult?
            var scratchModel: Model?
            if options.comparesWithScratch {
                var scratch = try makeStudent(seed)
                let split = labeledSplit(data, indices: labeledIndices)
                var scratchOptions = training
                scratchOptions.epochs = scratchEpochs(updates: distillation.steps, samples: labeledIndices.count,
                                                      batchSize: training.batchSize)
                scratchOptions.evaluatesEachEpoch = false
                observer?(.runStarted(seed: seed, kind: .scratch, epochs: scratchOptions.epochs))
                let report = try Trainer.train(&scratch, on: split, options: scratchOptions, pool: pool, stop: stop,
                                               observer: observer.map { o in { o(.training($0)) } })
                if report.stopped { throw DistillationError.interrupted }
                let accuracy = test.count > 0 ? try scratch.accuracy(on: test, pool: pool) : nil
                scratchResult = DistillationReport.ScratchResult(training: report, accuracy: accuracy)
                scratchModel = scratch
            }

            if position == 0 {
                let row = train.features.rows(example!.sampleIndex..<(example!.sampleIndex + 1))
                example!.studentSoftAfter = DistillationLoss.softmax(
                    distilled.logits(row, pool: pool).scalars.map(Double.init), temperature: Double(loss.temperature))
                kept = (distilled, scratchModel)
            }
            results.append(DistillationReport.SeedResult(
                seed: seed, labeledIndices: labeledIndices, distillation: distillation,
                distilledAccuracy: distilledAccuracy, scratch: scratchResult))
        }

        let report = DistillationReport(
            teacherName: teacherName, teacherArchitecture: teacher.architecture.specification,
            teacherParameterCount: teacher.parameterCount, teacherTestAccuracy: teacherAccuracy,
            student: student, studentArchitecture: firstStudent.architecture.specification,
            studentParameterCount: firstStudent.parameterCount, options: options, datasetName: train.name,
            transferCount: train.count, labeledCount: labeledCount, testCount: test.count, example: example!,
            gradientScales: scales, gradientSampleCount: gradientRows, seeds: results,
            distilledName: nil, scratchName: nil, notes: [])
        return DistillationRun(report: report, distilled: kept!.distilled, scratch: kept!.scratch)
    }

    /// Teacher and student must read the same inputs and predict the same classes.
    public static func checkPair(teacher: Model, teacherName: String, student: Model,
                                 studentLabel: DistillationStudent) throws(DistillationError) {
        let teacherText = "'\(teacherName)' (\(teacher.architecture.specification))"
        let studentText: String
        switch studentLabel {
        case .architecture: studentText = student.architecture.specification
        case .variant(let name): studentText = "'\(name)' (\(student.architecture.specification))"
        }
        guard teacher.inputFeatureCount == student.inputFeatureCount else {
            throw .incompatiblePair(teacher: teacherText, student: studentText, reason:
                "the teacher reads \(teacher.inputFeatureCount) inputs per sample and the student \(student.inputFeatureCount); both must read the same samples")
        }
        guard teacher.classCount == student.classCount else {
            throw .incompatiblePair(teacher: teacherText, student: studentText, reason:
                "the teacher has \(teacher.classCount) outputs and the student \(student.classCount); a student must predict the same classes as its teacher")
        }
    }

    static func checkData(_ model: Model, label: String, data: Dataset) throws(DistillationError) {
        do {
            try model.checkCompatible(with: data)
        } catch let error as ModelError {
            throw .dataMismatch(model: label, reason: error.description)
        } catch {
            throw .dataMismatch(model: label, reason: "\(error)")
        }
    }

    /// Epochs over `samples` labeled samples that make about `updates` optimizer steps (at least one).
    static func scratchEpochs(updates: Int, samples: Int, batchSize: Int) -> Int {
        let batchesPerEpoch = (samples + min(batchSize, samples) - 1) / min(batchSize, samples)
        return max(1, Int((Double(updates) / Double(batchesPerEpoch)).rounded()))
    }

    /// The training part cut down to `indices` (its labeled samples), the test part unchanged.
    static func labeledSplit(_ data: DatasetSplit, indices: [Int]) -> DatasetSplit {
        if indices.count == data.train.count { return data }
        return DatasetSplit(train: data.train.subset(indices), test: data.test, normalization: data.normalization,
                            rawTrainFeatures: data.rawTrainFeatures.gatherRows(indices),
                            rawTestFeatures: data.rawTestFeatures, testFraction: data.testFraction, seed: data.seed)
    }
}
