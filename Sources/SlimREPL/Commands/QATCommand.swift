import SlimLab

/// `qat bits=B epochs=E [lr=X] [granularity=…] [scheme=…] [calib=…] [from=VARIANT] [as=N] [detail=full|brief]`:
/// quantization-aware training into a new variant that runs on the int8 engine.
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
    static let source = Option<String>.source("the variant to train")
    static let name = Option<String>.newVariant("qat-int4, … made unique")

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
            engine. The source model is never changed and stays current.
            """,
        arguments: [bits, activationBits, epochs, learningRate, scheme, granularity, calibration, source, name,
                    Option<TechniqueDetail>.detail],
        examples: ["qat bits=4 epochs=5", "qat bits=4 epochs=5 as=qat4", "qat bits=3 epochs=10 lr=0.001"])

    let options: QATOptions
    let source: String?
    let name: String?
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        var training = QATOptions.defaultTraining
        training.epochs = try arguments.value(Self.epochs)
        training.learningRate = Float(try arguments.value(Self.learningRate))
        var calibration = CalibrationSettings()
        calibration.method = try arguments.value(Self.calibration)
        options = QATOptions(bits: try arguments.value(Self.bits), activationBits: try arguments.optionalValue(Self.activationBits),
                             scheme: try arguments.value(Self.scheme), granularity: try arguments.value(Self.granularity),
                             training: training, calibration: calibration)
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func run(in context: CommandContext) throws {
        let progress = TrainingProgress(context, label: "qat")
        defer { progress.finish() }
        let outcome = try context.workspace.quantizationAwareTraining(source, options: options, name: name,
                                                                      observer: progress.observe)
        progress.finish()
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
