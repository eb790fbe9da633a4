import SlimKernels

/// `distill` on the session: teacher and student by name or architecture, the two new variants
/// added side by side, every source left as it was.
extension Workspace {
    /// Distills variant `teacher` into `student` on the loaded data and adds the first seed's
    /// distilled student as variant `name` (by default `student`, made unique) and, when asked
    /// for, its from-scratch twin as `name-scratch` (`name-hard` when the student is an existing
    /// variant, which then keeps its weights, masks and storage rather than starting from
    /// scratch). The current model does not change. On any error or a stop request nothing is
    /// added.
    public func distill(teacher teacherName: String, student: DistillationStudent, options: DistillationOptions,
                        name: String? = nil, observer: ((DistillationEvent) -> Void)? = nil) throws -> TechniqueOutcome {
        let data = try requireData("distill")
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
            let model = source.model
            if model.inferenceEngine != nil
                || model.layers.contains(where: { ($0 as? Dense)?.inferenceKernel is WeightOnlyDenseKernel }) {
                notes.append("'\(source.name)' runs on quantized kernels; distillation trains the float values its codes stand for, and the student is quantized the same way from the weights it learns")
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
            try variants.checkFree(candidate)
        }

        // Every seed trains the student (and its from-scratch twin, at most as many updates);
        // the teacher's soft targets take one forward pass over the training rows.
        let runs = options.seeds.count * (options.comparesWithScratch ? 2 : 1)
        try checkTrainingWork(try makeStudent(options.seeds.first ?? seed), rows: data.train.count,
                              evaluationRows: data.test.count, epochs: ResourceBudget.product([runs, options.training.epochs]) ?? Int.max,
                              extra: ResourceBudget.product([ResourceBudget.forwardMultiplyAdds(teacher.model) ?? Int.max, data.train.count]),
                              what: "distill epochs=\(options.training.epochs)")
        let run = try Distillation.run(teacher: teacher.model, teacherName: teacher.name, student: student,
                                       makeStudent: makeStudent, data: data, options: options, pool: pool, stop: stop,
                                       observer: observer)
        var report = run.report
        report.notes = notes
        // A pruned or quantized student keeps its storage: its kernels follow the learned weights.
        let distilledModel = run.distilled, scratchModel = run.scratch

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
            try variants.add(distilledVariant, makeCurrent: false)
            added.append(distilledName)
            if let scratchModel, let scratch = first.scratch {
                var scratchVariant = Variant(
                    name: scratchName, model: scratchModel,
                    origin: "\(student) trained on \(report.labeledCount) labels alone (\(scratch.updates) updates), seed \(first.seed)",
                    parent: parent)
                scratchVariant.trainingRuns = [scratch.training]
                try variants.add(scratchVariant, makeCurrent: false)
                added.append(scratchName)
                report.scratchName = scratchName
            }
        } catch {
            for name in added { _ = try? variants.drop(name) }
            throw error
        }
        report.distilledName = distilledName
        lastDistillation = report.example
        return keep(TechniqueOutcome(title: report.title, steps: report.steps,
                                summary: try summarize(source: teacher, variant: distilledVariant),
                                made: report.made, record: .distillation(report)))
    }

    /// What `student=TEXT` names: a variant of the session when one is called that, else an
    /// architecture (`mlp 64-16-10`), or an error saying it is neither.
    public func distillationStudent(_ text: String) throws -> DistillationStudent {
        if variants.names.contains(text) { return .variant(text) }
        do {
            _ = try ModelArchitecture.parse(text)
        } catch {
            let known = variants.names
            throw DistillationError.invalidOption(
                option: "student", value: text,
                allowed: "a variant (\(known.isEmpty ? "there are none yet" : known.joined(separator: ", "))) or an architecture: \(error)")
        }
        return .architecture(text)
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
