import SlimLab

/// `qat bits=B epochs=E [lr=X] [granularity=…] [scheme=…] [calib=…] [as=N]`: quantization-aware
/// training of the current model into a new variant that runs on the int8 engine.
struct QATCommand: REPLCommand {
    static let bits = Option<Int>("bits", default: 4, in: 2...8, summary: "code width of weights and activations")
    static let activationBits = Option<Int>("abits", defaultDescription: "bits", in: 2...8,
                                            summary: "code width of activations, when it should differ from bits")
    static let epochs = Option<Int>("epochs", default: QATOptions.defaultTraining.epochs, in: 1...10_000,
                                    summary: "fine-tuning passes over the training set")
    static let learningRate = Option<Double>("lr", default: TrainCommand.decimal(QATOptions.defaultTraining.learningRate), in: 1e-12...10,
                                             summary: "the fine-tuning learning rate (Adam)")
    static let scheme = Option<QuantizationScheme>("scheme", default: .symmetric, summary: "the weight scheme")
    static let granularity = Option<QuantizationGranularity>("granularity", default: .tensor,
                                                             summary: "one weight scale per tensor or per output channel")
    static let calibration = Option<CalibrationMethod>("calib", default: .percentile,
                                                       summary: "how the activation ranges start (then a moving average)")
    static let name = Option<String>("as", defaultDescription: "qat-int4, … made unique", summary: "the new variant's name")

    static let configuration = CommandConfiguration(
        name: "qat", topic: .compression,
        summary: "quantization-aware training: fine-tune with fake quantization, then convert to int8",
        discussion: """
            Prepare: fake quantization goes into the forward pass, on every Dense weight (per step, \
            from the weights' current range) and at every activation the int8 engine quantizes \
            (ranges start from a calibration and follow a moving average, c = 0.01). Fine-tune: the \
            backward pass is the straight-through estimator, so the Float weights keep learning while \
            the forward pass sees only representable values; the gradient is zero outside the \
            clipping range. Convert: the weights and the tracked ranges are compiled into the int8 \
            engine. The source model is never changed.
            """,
        arguments: [bits, activationBits, epochs, learningRate, scheme, granularity, calibration, name],
        examples: ["qat bits=4 epochs=5", "qat bits=4 epochs=5 as=qat4", "qat bits=3 epochs=10 lr=0.001"])

    let options: QATOptions
    let name: String?

    init(arguments: ParsedArguments) throws {
        var training = QATOptions.defaultTraining
        training.epochs = try arguments.value(Self.epochs)
        training.learningRate = Float(try arguments.value(Self.learningRate))
        var calibration = CalibrationSettings()
        calibration.method = try arguments.value(Self.calibration)
        options = QATOptions(bits: try arguments.value(Self.bits), activationBits: try arguments.optionalValue(Self.activationBits),
                             scheme: try arguments.value(Self.scheme), granularity: try arguments.value(Self.granularity),
                             training: training, calibration: calibration)
        name = try arguments.optionalValue(Self.name)
    }

    func validate(in context: CommandContext) throws {
        let variant = try context.workspace.variants.variant()
        if let name, !VariantTable.isValidName(name) { throw VariantError.invalidName(name) }
        if let name, context.workspace.variants.names.contains(name) { throw VariantError.nameTaken(name) }
        var options = self.options
        options.training.seed = context.workspace.seed
        _ = try options.validated()
        _ = try StaticQuantization.chain(of: variant.model)
        guard context.workspace.data != nil else {
            throw CommandFailure("qat trains: load a dataset first (data load digits)")
        }
        try context.workspace.checkModelFitsData()
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        let source = try workspace.variants.variant()
        guard let data = workspace.data else { throw CommandFailure("qat trains: load a dataset first (data load digits)") }
        var options = self.options
        options.training.seed = workspace.seed
        let variantName = name ?? workspace.variants.uniqueName("qat-int\(options.bits)")
        context.print("qat \(source.name) → \(variantName): \(options.summary), "
                      + "\(options.training.epochs) epochs at lr \(options.training.learningRate)")
        let steps = context.steps(4)

        try steps.begin("Prepare: fake quantization in the forward pass")
        let prepared = try QuantizationAwareTraining.prepare(source.model, options: try options.validated(), data: data,
                                                             pool: workspace.pool)
        context.print("  layers: " + prepared.layers.map(\.name).joined(separator: " → "))
        let grid = try IntegerRange(bits: options.bits, scheme: options.scheme)
        context.print("  weights: Ŵ = s·(clamp(round(W/s), \(grid.qmin), \(grid.qmax))), s from the weights at every step "
                      + "(per \(options.granularity.rawValue))")
        context.print("  activations: x̂ = s·(clamp(round(x/s) + z, \(-(1 << (options.effectiveActivationBits - 1))), "
                      + "\((1 << (options.effectiveActivationBits - 1)) - 1)) - z), range by moving average (c = 0.01)")
        context.print("  backward (straight-through): ∂L/∂x = ∂L/∂x̂ where x is inside the grid's range, 0 outside")
        let start = try prepared.accuracy(on: data.test, pool: workspace.pool)
        let fp32 = try source.model.accuracy(on: data.test, pool: workspace.pool)
        context.print("  accuracy of the fake-quantized model before fine-tuning: \(NumberFormatting.percent(start)) "
                      + "(fp32 \(NumberFormatting.percent(fp32)))")

        try steps.begin("Fine-tune with the straight-through estimator")
        let progress = context.progress(total: options.training.epochs * max(1, (data.train.count + options.training.batchSize - 1) / options.training.batchSize),
                                        label: "qat")
        let run = try QuantizationAwareTraining.run(source.model, data: data, options: options, pool: workspace.pool,
                                                    stop: workspace.stop) { event in
            if case .batchFinished(let p) = event { progress.update(completed: (p.epoch - 1) * p.batches + p.batch, detail: "epoch \(p.epoch)/\(p.epochs) loss \(NumberFormatting.fixed(p.loss, digits: 4))") }
        }
        progress.finish()
        let table = Table(columns: [Table.Column("epoch", alignment: .right), Table.Column("loss", alignment: .right),
                                    Table.Column("train acc", alignment: .right), Table.Column("test acc", alignment: .right),
                                    Table.Column("vs fp32", alignment: .right)],
                          rows: [["0", "-", "-", NumberFormatting.percent(start), points(start - fp32)]]
                              + run.training.epochs.map { e in
                                  [String(e.epoch), context.fixed(e.loss), NumberFormatting.percent(e.trainAccuracy),
                                   e.testAccuracy.map { NumberFormatting.percent($0) } ?? "-",
                                   e.testAccuracy.map { points($0 - fp32) } ?? "-"]
                              })
        context.print(QuantizeViews.indented(table.render(width: context.width - 2, style: context.style)))
        let curve = [start] + run.training.epochs.compactMap(\.testAccuracy)
        context.print("  test accuracy: " + Sparkline.summary(curve.map { $0 * 100 }, digits: 2))

        try steps.begin("Convert: the learned weights and tracked ranges into the int8 engine")
        context.print(QuantizeViews.activationTable(run.activations, context))
        context.print(QuantizeViews.errorTable(run.weightReports.map(\.errorRow), context))

        try steps.begin("Result")
        let variant = Variant(name: variantName, model: run.variant, origin: "\(options.summary) of \(source.name)",
                              parent: source.name)
        try workspace.variants.add(variant)
        try workspace.variants.use(source.name)
        context.print(lines: try QuantizeViews.result(source: source, variant: variant, sourceBytes: run.sourceBytes,
                                                      variantBytes: run.variantBytes, test: data.test, context))
        context.print("made \(variantName); \(source.name) stays the current model ('model use \(variantName)' switches, 'compare' shows all)")
    }

    private func points(_ delta: Double) -> String {
        (delta >= 0 ? "+" : "") + NumberFormatting.fixed(delta * 100, digits: 2)
    }
}
