/// The quantization techniques of a session, as the REPL's `quantize` and `qat` call them.
/// Each reads variant `source` (the current one when nil), adds its result beside it as a new
/// variant and leaves the current model as it is; it throws before adding anything when its
/// arguments are wrong or a stop request ends it.
extension Workspace {
    /// Post-training quantization of `source` into variant `name` (by default `int8`, `int4-w`,
    /// `q4_0`, … made unique). A static variant calibrates its activation ranges on training rows.
    @discardableResult
    public func quantize(_ source: String? = nil, options: QuantizationOptions, name: String? = nil,
                         timing: Bool = false) throws -> TechniqueOutcome {
        let sourceVariant = try variants.variant(named: source)
        try checkModelFitsData(sourceVariant.name)
        let checked = try options.validated()
        if checked.mode == .staticInteger {
            _ = try StaticQuantization.chain(of: sourceVariant.model)
            _ = try requireData("static quantization (it calibrates the activation ranges)")
        }
        let target = try variants.newName(name, default: Self.defaultName(checked))
        let run = try PostTrainingQuantization.run(sourceVariant.model, options: checked,
                                                   calibrationData: data?.train.features, pool: pool, stop: stop)
        let variant = Variant(name: target, model: run.variant, origin: "\(run.options.summary) of \(sourceVariant.name)",
                              parent: sourceVariant.name)
        try variants.add(variant, makeCurrent: false)
        let facts = run.engine.map { engine in
            [TechniqueOutcome.Fact("runs on", Phrase("the int8 engine: \(engine.stages.count) layers on the int8 GEMM, "
                                                     + "Float only at input and output"))]
        } ?? []
        return keep(TechniqueOutcome(title: "quantize \(sourceVariant.name) → \(target): \(run.options.summary)", steps: run.steps,
                                summary: try summarize(source: sourceVariant, variant: variant, timing: timing),
                                facts: facts, made: Phrase(target), record: .quantization(run)))
    }

    /// Quantization-aware training of `source` into variant `name` (by default `qat-intB`,
    /// made unique), with the session's seed. The activation ranges are calibrated once.
    @discardableResult
    public func quantizationAwareTraining(_ source: String? = nil, options: QATOptions, name: String? = nil,
                                          observer: ((TrainingEvent) -> Void)? = nil) throws -> TechniqueOutcome {
        let data = try requireData("qat")
        let sourceVariant = try variants.variant(named: source)
        try checkModelFitsData(sourceVariant.name)
        var options = options
        options.training.seed = seed
        let checked = try options.validated()
        _ = try StaticQuantization.chain(of: sourceVariant.model)
        let target = try variants.newName(name, default: "qat-int\(checked.bits)")
        try checkTrainingWork(sourceVariant.model, rows: data.train.count, evaluationRows: data.test.count,
                              epochs: checked.training.epochs, what: "qat epochs=\(checked.training.epochs)")
        let prepared = try QuantizationAwareTraining.prepare(sourceVariant.model, options: checked, data: data, pool: pool)
        let run = try QuantizationAwareTraining.run(sourceVariant.model, prepared: prepared, data: data, options: checked,
                                                    pool: pool, stop: stop, observer: observer)
        let variant = Variant(name: target, model: run.variant, origin: "\(checked.summary) of \(sourceVariant.name)",
                              parent: sourceVariant.name)
        try variants.add(variant, makeCurrent: false)
        let summary = try summarize(source: sourceVariant, variant: variant)
        return keep(TechniqueOutcome(
            title: "qat \(sourceVariant.name) → \(target): \(run.options.summary), "
                + "\(run.options.training.epochs) epochs at lr \(run.options.training.learningRate)",
            steps: run.steps(preparedLayers: prepared.layers.map(\.name), fp32: summary.accuracyBefore),
            summary: summary, made: Phrase(target), record: .quantizationAwareTraining(run)))
    }

    private static func defaultName(_ options: QuantizationOptions) -> String {
        switch options.mode {
        case .blockFormat: return options.format?.rawValue ?? "blocks"
        case .weightOnly: return "int\(options.bits)-w"
        case .staticInteger: return "int\(options.bits)"
        }
    }
}
