import SlimKernels

/// The pruning operations of a session, as the REPL's `prune`, `finetune` and `bench` commands
/// call them. Each makes a new variant (or, for `finetune` without a new name, trains the
/// named one) and throws before changing anything when its arguments are wrong.
extension Workspace {
    /// Prunes variant `source` (the current one when nil) by magnitude into a new variant
    /// `name` (by default `SOURCE-pS`), one shot or on a schedule with fine-tuning between
    /// steps; the current model does not change. The steps end with how each Dense weight is
    /// stored; the summary gives the size and accuracy against the source.
    @discardableResult
    public func pruneMagnitude(_ source: String? = nil, options: MagnitudePruningOptions, name: String? = nil,
                               observer: ((TrainingEvent) -> Void)? = nil) throws -> TechniqueOutcome {
        let sourceVariant = try variants.variant(named: source)
        let target = try variants.newName(name, default: "\(sourceVariant.name)-p\(percent(options.sparsity))")
        try MagnitudePruning.validate(sparsity: options.sparsity)
        _ = try LayerSelection.select(options.layers, from: sourceVariant.model.prunableWeights)
        if options.schedule != .oneshot && data == nil { throw PruningWorkspaceError.scheduleNeedsData }

        var model = sourceVariant.model
        var title: String
        var steps: [TechniqueStep]
        var origin: String
        var runs: [TrainingReport] = []
        let scopeText = options.scope == .global ? "global" : "per layer"
        switch options.schedule {
        case .oneshot:
            let (pruned, result) = try MagnitudePruning.prune(model: model, sparsity: options.sparsity,
                                                              scope: options.scope, layers: options.layers)
            model = pruned
            title = result.title
            steps = result.steps
            origin = "magnitude pruning to \(percent(options.sparsity)) % (\(scopeText)) of \(sourceVariant.name)"
        case .iterative, .gradual:
            let initial = currentSparsity(of: model, layers: options.layers)
            let schedule = try SparsitySchedule(kind: options.schedule, initial: initial, final: options.sparsity,
                                                steps: options.steps, epochsPerStep: options.epochsPerStep)
            if let data, options.epochsPerStep > 0 {
                try checkTrainingWork(model, rows: data.train.count, evaluationRows: data.test.count,
                                      epochs: ResourceBudget.product([options.steps, options.epochsPerStep]) ?? Int.max,
                                      what: "prune schedule=\(options.schedule.rawValue) steps=\(options.steps) epochs=\(options.epochsPerStep)")
            }
            title = "\(options.schedule.rawValue) magnitude pruning (\(scopeText)) to sparsity \(formatReal(options.sparsity, digits: 6)) in \(options.steps) steps"
            var plan = TechniqueStep(title: "Plan the schedule")
            plan.items.append(.rule(options.schedule == .gradual ? SparsitySchedule.gradualRule : SparsitySchedule.iterativeRule))
            plan.items += PruningItems.schedule(schedule)
            steps = [plan]
            for step in schedule.steps {
                try checkStop()
                let (pruned, result) = try MagnitudePruning.prune(model: model, sparsity: step.sparsity,
                                                                  scope: options.scope, layers: options.layers)
                model = pruned
                var item = TechniqueStep(title: "Prune to \(formatReal(step.sparsity, digits: 4)) at t = \(step.time), then fine-tune")
                item.items.append(.formula(step.formula))
                for threshold in result.masks.thresholds {
                    if options.scope == .layer { item.items.append(.line(Phrase(threshold.layers[0]))) }
                    item.items.append(.formula(threshold.pruneCountFormula))
                    if let f = threshold.thresholdFormula { item.items.append(.formula(f)) }
                }
                let afterPruning = try accuracy(of: model)
                if options.epochsPerStep > 0, let data {
                    let run = try Trainer.train(&model, on: data, options: finetuneOptions(
                        FinetuneOptions(epochs: options.epochsPerStep, learningRate: options.learningRate)),
                        pool: pool, stop: stop, observer: observer)
                    runs.append(run)
                    item.items.append(PruningItems.training(accuracyAfterPruning: afterPruning, epochs: run.epochs.count,
                                                            loss: run.epochs.last?.loss ?? 0, accuracy: run.finalTestAccuracy))
                    if run.stopped { throw PruningWorkspaceError.stopped }
                }
                steps.append(item)
            }
            var table = TechniqueStep(title: "Count what is left")
            table.items.append(PruningItems.layers(
                before: sourceVariant.model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) },
                after: model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) }))
            steps.append(table)
            origin = "\(options.schedule.rawValue) magnitude pruning to \(percent(options.sparsity)) % (\(scopeText), \(options.steps) steps × \(options.epochsPerStep) epochs) of \(sourceVariant.name)"
        }
        steps += try storeSparse(&model)
        var variant = sourceVariant
        variant.name = target
        variant.model = model
        variant.origin = origin
        variant.parent = sourceVariant.name
        variant.trainingRuns += runs
        try variants.add(variant, makeCurrent: false)
        return try pruningOutcome(title: title, steps: steps, source: sourceVariant, variant: variant)
    }

    /// Removes the weakest ⌊units·R⌋ units of each chosen layer of `source` (current when nil),
    /// physically shrinking it, into a new variant `name` (by default `SOURCE-sR`).
    @discardableResult
    public func pruneStructured(_ source: String? = nil, ratio: Double, norm: WeightNorm, layers: [String]? = nil,
                                name: String? = nil) throws -> TechniqueOutcome {
        let sourceVariant = try variants.variant(named: source)
        let target = try variants.newName(name, default: "\(sourceVariant.name)-s\(percent(ratio))")
        var (model, result) = try StructuredPruning.prune(model: sourceVariant.model,
                                                          ratio: ratio, norm: norm, layers: layers)
        let steps = result.steps + (try storeSparse(&model))
        var variant = sourceVariant
        variant.name = target
        variant.model = model
        variant.origin = "structured pruning of \(percent(ratio)) % of the units (\(norm.rawValue.uppercased())) of \(sourceVariant.name)"
        variant.parent = sourceVariant.name
        try variants.add(variant, makeCurrent: false)
        return try pruningOutcome(title: result.title, steps: steps, source: sourceVariant, variant: variant)
    }

    /// Trains variant `name` (current when nil) with its masks respected — pruned weights get
    /// no gradient and stay exactly zero — on the loaded data. With `newName`, the training
    /// happens on a copy and `name` stays as it was; the current model does not change. The
    /// outcome's record is the training report: when it says `stopped`, the caller puts the
    /// session back (the REPL does on Ctrl-C).
    @discardableResult
    public func finetune(_ name: String? = nil, options: FinetuneOptions, as newName: String? = nil,
                         observer: ((TrainingEvent) -> Void)? = nil) throws -> TechniqueOutcome {
        let data = try requireData("finetune")
        let training = finetuneOptions(options)
        try training.validate()
        let source = try variants.variant(named: name)
        try checkTrainingWork(source.model, rows: data.train.count, evaluationRows: data.test.count,
                              epochs: training.epochs, what: "finetune epochs=\(training.epochs)")
        if let newName { try variants.copy(source.name, to: newName, makeCurrent: false) }
        let target = newName ?? source.name
        let report = try variants.update(target) { variant -> TrainingReport in
            // The variant's kernels (CSR, int8) are derived from its weights and follow them.
            let report = try Trainer.train(&variant.model, on: data, options: training, pool: pool, stop: stop,
                                           observer: observer)
            variant.trainingRuns.append(report)
            if newName != nil { variant.origin = "\(source.name) fine-tuned \(report.epochs.count) epochs with its masks" }
            return report
        }
        if lastTrace?.variantName == target { lastTrace = nil }
        let tuned = try variants.variant(named: target)
        var result: [TechniqueItem] = []
        let losses = report.losses
        if losses.count > 1 {
            result.append(.curve(TechniqueCurve(label: "loss  ", values: losses)))
        } else if let loss = losses.first {
            result.append(.line("loss  \(fixed: loss)"))
        }
        let masked = source.model.maskedWeightCounts.masked
        if masked > 0 {
            result.append(.line("masked weights still zero: \(count: tuned.model.maskedWeightCounts.stillZero) of \(count: masked)"))
        }
        let shared = source.model.codebooks, sharedAfter = tuned.model.codebooks
        if !shared.isEmpty {
            let assignmentsKept = shared.allSatisfy { sharedAfter[$0.key]?.assignments == $0.value.assignments }
            result.append(.line("shared weights: the centroids of \(count: shared.count) tensor\(shared.count == 1 ? "" : "s") were trained, "
                                + (assignmentsKept ? "every assignment kept" : "some assignments changed")))
        } else if masked == 0 {
            result.append(.line("no masks: every weight was trained"))
        }
        let kept = shared.isEmpty ? "its masks" : masked > 0 ? "its masks and shared weights" : "its shared weights"
        let epochs = report.epochs.count
        let place = newName == nil ? target : "\(source.name) → \(target)"
        return keep(TechniqueOutcome(
            title: "fine-tuned \(place) for \(epochs) epoch\(epochs == 1 ? "" : "s") with \(kept) (lr \(options.learningRate))",
            result: result, summary: try summarize(source: source, variant: tuned),
            made: newName == nil ? nil : Phrase(target), record: .training(report)))
    }

    /// Times the largest Dense layer of variant `name` (or the layer `layer`) four ways: dense,
    /// dense with the mask applied, CSR, and shrunk to the rows its kept weights would fill.
    public func benchPrunedLayer(_ name: String? = nil, layer: String? = nil, batch: Int = 64) throws -> SparseLayerBenchmark {
        let model = try variants.variant(named: name).model
        let denseLayers = model.layers.compactMap { $0 as? Dense }
        if let layer {
            let wanted = LayerSelection.layerName(of: layer)
            guard let found = denseLayers.first(where: { $0.name == wanted }) else {
                throw PruningError.unknownLayer(layer, available: denseLayers.map(\.name))
            }
            try budget.checkPass(rows: batch, weights: found.weight.count, for: "bench batch=\(batch) on \(found.name)")
            return SparseLayerBenchmark.run(found, batch: batch, pool: pool)
        }
        guard let largest = denseLayers.max(by: { $0.weight.count < $1.weight.count }) else {
            throw PruningError.noLayers
        }
        try budget.checkPass(rows: batch, weights: largest.weight.count, for: "bench batch=\(batch) on \(largest.name)")
        return SparseLayerBenchmark.run(largest, batch: batch, pool: pool)
    }

    // MARK: Helpers

    /// The training settings of fine-tuning: the session's defaults with these epochs and this
    /// learning rate.
    func finetuneOptions(_ options: FinetuneOptions) -> TrainingOptions {
        var training = trainingDefaults
        training.epochs = options.epochs
        training.learningRate = options.learningRate
        return training
    }

    /// Stores Dense weights in CSR where smaller, and the step that shows the choice.
    private func storeSparse(_ model: inout Model) throws -> [TechniqueStep] {
        let (stored, decisions) = try SparseStorage.apply(to: model, crossover: sparseCrossover,
                                                          batch: Comparison.batchSize, pool: pool)
        model = stored
        guard !decisions.isEmpty else { return [] }
        var storage = TechniqueStep(title: "Store the weights")
        storage.items.append(.paragraph("CSR keeps each kept weight with its column (8 bytes) and where each row starts; "
                                        + "it is smaller than dense (4 bytes per weight) only above 50 % sparsity."))
        storage.items.append(PruningItems.storage(decisions))
        return [storage]
    }

    /// A pruning's outcome: its steps, the summary against the source, and the zeros made.
    private func pruningOutcome(title: String, steps: [TechniqueStep], source: Variant, variant: Variant) throws -> TechniqueOutcome {
        let total = LayerSparsity.total(of: variant.model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) })
        return keep(TechniqueOutcome(
            title: "\(title): \(source.name) → \(variant.name)", steps: steps,
            summary: try summarize(source: source, variant: variant),
            made: "\(variant.name) from \(source.name): \(count: total.zeros) of \(count: total.parameters) weights are zero "
                + "(\(percent: total.sparsity)), \(count: variant.model.parameterCount) parameters"))
    }

    private func accuracy(of model: Model) throws -> Double? {
        guard let test = data?.test, test.count > 0 else { return nil }
        return try model.accuracy(on: test, pool: pool)
    }

    private func currentSparsity(of model: Model, layers: [String]?) -> Double {
        let chosen = (try? LayerSelection.select(layers, from: model.prunableWeights)) ?? []
        let rows = chosen.map { LayerSparsity(name: $0.name, weight: $0.value) }
        let total = LayerSparsity.total(of: rows)
        return total.sparsity
    }

    private func checkStop() throws {
        if stop.isRequested { throw PruningWorkspaceError.stopped }
    }

    private func percent(_ fraction: Double) -> String {
        formatReal(fraction * 100, digits: 4)
    }
}

/// What can go wrong running a pruning command on the session.
public enum PruningWorkspaceError: Error, CustomStringConvertible, Equatable {
    /// An iterative or gradual schedule without data to fine-tune on.
    case scheduleNeedsData
    /// Ctrl-C stopped a schedule; no variant was made.
    case stopped

    public var description: String {
        switch self {
        case .scheduleNeedsData:
            return "an iterative or gradual schedule fine-tunes between steps and needs data: load some first with 'data load digits', or use schedule=oneshot"
        case .stopped:
            return "stopped: the schedule did not finish, so no new variant was made"
        }
    }
}
