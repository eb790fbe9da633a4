import SlimKernels

/// `distill` on the session: teacher and student by name or architecture, the two new variants
/// added side by side, every source left as it was.
extension Workspace {
    /// Distills variant `teacher` into `student` on the loaded data and adds the first seed's
    /// distilled student as variant `name` (by default `student`, made unique) and, when asked
    /// for, its from-scratch twin as `name-scratch` (`name-hard` when the student is an existing
    /// variant, which then keeps its weights and masks rather than starting from scratch). The
    /// distilled student becomes current. On any error or a stop request nothing is added.
    public func distill(teacher teacherName: String, student: DistillationStudent, options: DistillationOptions,
                        name: String? = nil, observer: ((DistillationEvent) -> Void)? = nil) throws -> DistillationReport {
        guard let data else { throw DistillationError.noData }
        try options.validate()
        let teacher = try variants.variant(named: teacherName)
        guard teacher.isTrained else { throw DistillationError.untrainedTeacher(teacher.name) }

        var notes: [String] = []
        let makeStudent: (UInt64) throws -> Model
        var hasMasks = false
        let comparisonSuffix: String
        switch student {
        case .architecture(let text):
            let architecture = try ModelArchitecture.parse(text, inputShape: data.train.sampleShape.count == 3 ? data.train.sampleShape : nil,
                                                           classes: data.train.classCount)
            try budget.checkModel(architecture)
            makeStudent = { [budget] seed in
                var generator = SeededGenerator(seed: seed)
                return try architecture.makeModel(generator: &generator, budget: budget)
            }
            comparisonSuffix = "scratch"
        case .variant(let studentName):
            let source = try variants.variant(named: studentName)
            var model = try SparseStorage.removed(from: source.model)
            if model.inferenceEngine != nil || model.layers.contains(where: { ($0 as? Dense)?.inferenceKernel != nil }) {
                model = Self.floatCopy(of: model)
                notes.append("'\(source.name)' runs on quantized kernels; distillation trains the float values its codes stand for, so the distilled student is a float model — quantize it again to get back to integers")
            }
            hasMasks = model.layers.contains { $0.parameters.contains { $0.mask != nil } }
            if hasMasks {
                notes.append("'\(source.name)' is pruned; its masks keep the pruned weights at zero while the student learns")
            }
            let prepared = model
            makeStudent = { _ in prepared }
            comparisonSuffix = "hard"
        }

        let distilledName = name ?? uniqueStudentName(suffix: comparisonSuffix)
        let scratchName = "\(distilledName)-\(comparisonSuffix)"
        for candidate in [distilledName] + (options.comparesWithScratch ? [scratchName] : []) {
            guard VariantTable.isValidName(candidate) else { throw VariantError.invalidName(candidate) }
            guard !variants.names.contains(candidate) else { throw VariantError.nameTaken(candidate) }
        }

        let run = try Distillation.run(teacher: teacher.model, teacherName: teacher.name, student: student,
                                       makeStudent: makeStudent, data: data, options: options, pool: pool, stop: stop,
                                       observer: observer)
        var report = run.report
        report.notes = notes
        var distilledModel = run.distilled, scratchModel = run.scratch
        if hasMasks {
            distilledModel = try SparseStorage.apply(to: distilledModel, crossover: sparseCrossover,
                                                     batch: Comparison.batchSize, pool: pool).model
            scratchModel = try scratchModel.map {
                try SparseStorage.apply(to: $0, crossover: sparseCrossover, batch: Comparison.batchSize, pool: pool).model
            }
        }

        let first = report.seeds[0]
        let setting = "T=\(DistillationLoss.text(options.loss.temperature)), α=\(DistillationLoss.text(options.loss.alpha))"
            + (options.loss.scalesByTemperatureSquared ? "" : ", no T²")
            + (report.labeledCount < report.transferCount ? ", \(report.labeledCount) labels" : "")
        let parent: String?
        if case .variant(let studentName) = student { parent = studentName } else { parent = teacher.name }
        var distilledVariant = Variant(name: distilledName, model: distilledModel,
                                       origin: "distilled from \(teacher.name) (\(setting)) into \(student), seed \(first.seed)",
                                       parent: parent)
        distilledVariant.trainingRuns = [Self.trainingReport(first.distillation, options: options, seed: first.seed,
                                                             trainCount: report.transferCount, testCount: report.testCount)]
        var added: [String] = []
        do {
            try variants.add(distilledVariant)
            added.append(distilledName)
            if let scratchModel, let scratch = first.scratch {
                var scratchVariant = Variant(
                    name: scratchName, model: scratchModel,
                    origin: "\(student) trained on \(report.labeledCount) labels alone (\(scratch.updates) updates), seed \(first.seed)",
                    parent: parent)
                scratchVariant.trainingRuns = [scratch.training]
                try variants.add(scratchVariant)
                added.append(scratchName)
                report.scratchName = scratchName
            }
            try variants.use(distilledName)
        } catch {
            for name in added { _ = try? variants.drop(name) }
            throw error
        }
        report.distilledName = distilledName
        lastDistillation = report.example
        return report
    }

    /// `student`, `student-2`, … whose comparison name is free too.
    func uniqueStudentName(suffix: String) -> String {
        var n = 1
        while true {
            let candidate = n == 1 ? "student" : "student-\(n)"
            if !variants.names.contains(candidate) && !variants.names.contains("\(candidate)-\(suffix)") { return candidate }
            n += 1
        }
    }

    /// `model` without its quantized kernels: every Dense layer computes in Float on the values
    /// its codes represent (which quantization left in its weights).
    static func floatCopy(of model: Model) -> Model {
        var copy = model
        copy.inferenceEngine = nil
        for (index, layer) in model.layers.enumerated() {
            guard var dense = layer as? Dense, dense.inferenceKernel != nil else { continue }
            dense.inferenceKernel = nil
            // The same shapes, so the model still chains.
            try! copy.replaceLayer(at: index, with: dense)
        }
        return copy
    }

    /// The distillation run as a training report, so `model list` and the variant's history
    /// read it like any training.
    static func trainingReport(_ training: DistillationTraining, options: DistillationOptions, seed: UInt64,
                               trainCount: Int, testCount: Int) -> TrainingReport {
        var trainingOptions = options.training
        trainingOptions.seed = seed
        var modelEpoch = 0
        let records = training.epochs.map { epoch -> EpochRecord in
            if epoch.batchesDone == epoch.batches { modelEpoch += 1 }
            return EpochRecord(epoch: epoch.epoch, modelEpoch: modelEpoch, loss: epoch.loss, trainAccuracy: epoch.trainAccuracy ?? 0,
                               testAccuracy: epoch.testAccuracy, learningRate: epoch.learningRate,
                               batchesDone: epoch.batchesDone, batches: epoch.batches, seconds: epoch.seconds)
        }
        return TrainingReport(options: trainingOptions, trainCount: trainCount, testCount: testCount, epochs: records,
                              stopped: training.stopped, steps: training.steps, lastUpdate: nil, seconds: training.seconds)
    }
}
