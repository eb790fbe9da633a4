import SlimLab

/// `quantize [bits=8] [scheme=…] [granularity=…] [weights-only=yes|no] [format=q8_0|q4_0]
/// [calib=…] [samples=N] [as=N]`: post-training quantization of the current model into a new
/// variant, step by step; `quantize conventions TENSOR` compares the int8 conventions of
/// PyTorch, TFLite, affine and ggml on one tensor.
struct QuantizeCommand: REPLCommand {
    /// The one sub-action; a positional word so that `quantize bits=4` still runs quantization.
    enum Action: String, CaseIterable, ArgumentValue { case conventions }

    static let action = Positional<Action>("conventions", arity: .optional,
                                           summary: "compare the int8 conventions of PyTorch, TFLite, affine and ggml on one tensor")
    static let tensor = Positional<String>("TENSOR", arity: .optional, kind: .name([.tensor]),
                                           summary: "the tensor for 'conventions' (fc1.weight)")
    static let bits = Option<Int>("bits", default: 8, in: 2...8, summary: "code width of weights (and activations when static)")
    static let activationBits = Option<Int>("abits", defaultDescription: "bits", in: 2...8,
                                            summary: "code width of activations, when it should differ from bits")
    static let scheme = Option<QuantizationScheme>("scheme", default: .symmetric,
                                                   summary: "weights: symmetric (z = 0, [-(2^(b-1)-1), 2^(b-1)-1]) or affine")
    static let granularity = Option<QuantizationGranularity>("granularity", default: .tensor,
                                                             summary: "one scale per tensor or per output channel")
    static let weightsOnly = Option<Bool>("weights-only", default: false,
                                          summary: "keep Float activations; weights dequantized for each product")
    static let format = Option<BlockFormat>("format", summary: "a llama.cpp block format for the weights (implies weights only)")
    static let calibration = Option<CalibrationMethod>("calib", default: .percentile,
                                                       summary: "how activation ranges are chosen (static only)")
    static let samples = Option<Int>("samples", default: 256, in: 1..., summary: "training rows used for calibration")
    static let name = Option<String>("as", defaultDescription: "int8, int4-w, q4_0, … made unique",
                                     summary: "the new variant's name")
    static let timing = Option<Bool>("timing", default: false,
                                     summary: "also measure the latency at batch 256 of both models (varies from run to run)")

    static let configuration = CommandConfiguration(
        name: "quantize", topic: .compression,
        summary: "quantize the current model into a new variant, step by step",
        discussion: """
            By default both weights and activations are quantized and the variant runs end to end on \
            the int8 engine (int8 × int8 → int32, requantized between layers, ReLU fused; Float only at \
            the input and the output). Activation ranges are calibrated on `samples` training rows: \
            minmax, movingavg (c = 0.01), percentile (99.99 % of |x|), mse or entropy (KL, as TensorRT). \
            weights-only=yes stores the weights quantized and dequantizes them for Float products; \
            format=q8_0|q4_0 stores them in llama.cpp's block formats. Rounding is half to even. \
            The source model is never changed.
            """,
        usage: "[bits=8] [abits=N] [scheme=symmetric|affine] [granularity=tensor|channel] [weights-only=yes|no] "
            + "[format=q8_0|q4_0] [calib=minmax|movingavg|percentile|mse|entropy] [samples=N] [as=NAME] [timing=on|off]"
            + "  |  conventions TENSOR",
        arguments: [action, tensor, bits, activationBits, scheme, granularity, weightsOnly, format, calibration, samples, name,
                    timing],
        examples: ["quantize granularity=channel as=int8", "quantize bits=4 as=int4", "quantize weights-only=yes bits=4",
                   "quantize format=q4_0", "quantize calib=entropy as=int8-kl", "quantize conventions fc1.weight"])

    let conventions: Bool
    let tensor: String?
    let options: QuantizationOptions
    let name: String?
    let timing: Bool

    init(arguments: ParsedArguments) throws {
        timing = try arguments.value(Self.timing)
        conventions = try arguments.optionalValue(Self.action) != nil
        tensor = try arguments.optionalValue(Self.tensor)
        var calibration = CalibrationSettings()
        calibration.method = try arguments.value(Self.calibration)
        options = QuantizationOptions(
            bits: try arguments.value(Self.bits), activationBits: try arguments.optionalValue(Self.activationBits),
            scheme: try arguments.value(Self.scheme), granularity: try arguments.value(Self.granularity),
            weightsOnly: try arguments.value(Self.weightsOnly), format: try arguments.optionalValue(Self.format),
            calibration: calibration, calibrationSamples: try arguments.value(Self.samples))
        name = try arguments.optionalValue(Self.name)
    }

    func validate(in context: CommandContext) throws {
        let variant = try context.workspace.variants.variant()
        if conventions {
            guard let tensor else { throw CommandFailure("quantize conventions needs a tensor, e.g. 'quantize conventions fc1.weight'") }
            _ = try variant.model.parameter(named: tensor)
            return
        }
        if let tensor { throw CommandFailure("'\(tensor)': a tensor is only taken by 'quantize conventions TENSOR'") }
        try context.workspace.checkModelFitsData()
        if let name, !VariantTable.isValidName(name) { throw VariantError.invalidName(name) }
        if let name, context.workspace.variants.names.contains(name) { throw VariantError.nameTaken(name) }
        let checked = try options.validated()
        if checked.mode == .staticInteger {
            _ = try StaticQuantization.chain(of: variant.model)
            guard context.workspace.data != nil else { throw QuantizationError.noCalibrationData }
        }
    }

    func run(in context: CommandContext) throws {
        if conventions, let tensor { return try QuantizeConventionsView.run(tensor: tensor, in: context) }
        let workspace = context.workspace
        let source = try workspace.variants.variant()
        let run = try PostTrainingQuantization.run(source.model, options: options, calibrationData: workspace.data?.train.features,
                                                   pool: workspace.pool, stop: workspace.stop)
        let variantName = name ?? workspace.variants.uniqueName(defaultName(run.options))
        context.print("quantize \(source.name) → \(variantName): \(run.options.summary)")
        switch run.options.mode {
        case .blockFormat: try showBlocks(run, in: context)
        case .weightOnly, .staticInteger: try showGrid(run, in: context)
        }
        let variant = Variant(name: variantName, model: run.variant,
                              origin: "\(run.options.summary) of \(source.name)", parent: source.name)
        try workspace.variants.add(variant)
        try workspace.variants.use(source.name)   // the source stays current: quantize it again another way
        context.print(lines: try QuantizeViews.result(source: source, variant: variant, sourceBytes: run.sourceBytes,
                                                      variantBytes: run.variantBytes, test: workspace.data?.test, context))
        if timing, let test = workspace.data?.test {
            context.print(QuantizeViews.latency(source: source.model, variant: variant.model, test: test, context))
        }
        if let engine = run.engine {
            context.print("  runs on   the int8 engine: \(engine.stages.count) layers on the int8 GEMM, Float only at input and output")
        }
        context.print("made \(variantName); \(source.name) stays the current model ('model use \(variantName)' switches, 'compare' shows all)")
    }

    private func defaultName(_ options: QuantizationOptions) -> String {
        switch options.mode {
        case .blockFormat: return options.format!.rawValue
        case .weightOnly: return "int\(options.bits)-w"
        case .staticInteger: return "int\(options.bits)"
        }
    }

    private func showGrid(_ run: QuantizationRun, in context: CommandContext) throws {
        let isStatic = run.options.mode == .staticInteger
        let steps = context.steps(isStatic ? 6 : 5)
        guard let first = run.weightReports.first else { return }

        try steps.begin("Observe the weight ranges")
        let table = Table(columns: [Table.Column("tensor"), Table.Column("shape"), Table.Column("min", alignment: .right),
                                    Table.Column("max", alignment: .right), Table.Column("max|x|", alignment: .right)],
                          rows: run.weightReports.map { r in
                              [r.name, TensorFormatter.describe(shape: r.shape), context.fixed(Double(r.observedMin)),
                               context.fixed(Double(r.observedMax)),
                               context.fixed(Double(max(abs(r.observedMin), abs(r.observedMax))))]
                          })
        context.print(QuantizeViews.indented(table.render(width: context.width - 2, style: context.style)))
        for (tensor, reason) in run.keptInFloat { context.print("  \(tensor) stays fp32: \(reason)") }

        let spec = run.options.weightSpec
        let range = try IntegerRange(bits: spec.bits, scheme: spec.scheme)
        try steps.begin("Scale and zero point of \(first.name) (\(spec), codes \(range.qmin)…\(range.qmax))")
        let derivation = spec.granularity == .channel ? first.derivations[first.workedExample.index.first ?? 0] : first.derivations[0]
        if spec.granularity == .channel {
            context.print("  channel \(first.workedExample.index.first ?? 0) of \(first.derivations.count) (each output channel has its own):")
        }
        context.print(lines: QuantizeViews.formulas(derivation.formulas, context))
        for note in derivation.notes { context.print("  (\(note))") }
        if spec.granularity == .channel {
            let scales = first.scales.sorted()
            context.print("  scales over the channels: min \(QuantizeViews.formatReal(scales.first!)), "
                          + "median \(QuantizeViews.formatReal(scales[scales.count / 2])), max \(QuantizeViews.formatReal(scales.last!))")
        }

        try steps.begin("One weight through quantize and dequantize (round half to even)")
        context.print(lines: QuantizeViews.workedExample(first.workedExample, name: first.name, context))

        try steps.begin("The weights and the grid")
        context.print(lines: QuantizeViews.grid(first.distribution, context))

        if isStatic {
            let method = run.options.calibration.method
            let rows = run.activations.first?.calibration.map { $0.observedCount / max(1, first.shape.last ?? 1) }
            try steps.begin("Calibrate the activations (\(method.rawValue), \(rows.map(String.init) ?? "?") training rows)")
            context.print(QuantizeViews.activationTable(run.activations, context))
            for activation in run.activations {
                guard let calibration = activation.calibration else { continue }
                context.print(lines: QuantizeViews.calibration(calibration, of: activation.name,
                                                             settings: run.options.calibration, context))
            }
        }

        try steps.begin("Error per layer")
        context.print(QuantizeViews.errorTable(run.errorTable, context))
    }

    private func showBlocks(_ run: QuantizationRun, in context: CommandContext) throws {
        let steps = context.steps(4)
        guard let first = run.blockReports.first else {
            throw CommandFailure("no weight could be stored in \(run.options.format!.displayName): "
                                 + run.keptInFloat.map { "\($0.name): \($0.reason)" }.joined(separator: "; "))
        }
        let format = first.format
        try steps.begin("Cut every row into blocks of \(BlockFormat.blockSize)")
        for report in run.blockReports {
            context.print("  \(report.name) \(TensorFormatter.describe(shape: report.shape)): \(report.blockCount) blocks")
        }
        for (tensor, reason) in run.keptInFloat { context.print("  \(tensor) stays fp32: \(reason)") }

        try steps.begin("Block 0 of \(first.name): its scale, stored as fp16")
        context.print(lines: QuantizeViews.formulas(first.formulas, context))
        let codes = first.firstBlockCodes.map(String.init).joined(separator: " ")
        context.print("  codes: \(codes)")

        try steps.begin("The bytes of block 0, as llama.cpp writes them")
        let hex = first.firstBlockBytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        context.print("  d (fp16, little-endian): \(hex[0...1].joined(separator: " "))")
        if format == .q4_0 {
            context.print("  nibbles: weight j in the low half of byte j, weight j+16 in the high half")
        }
        context.print("  codes: " + hex[2...].joined(separator: " "))
        context.print("  \(format.bytesPerBlock) bytes per \(BlockFormat.blockSize) weights = "
                      + "\(NumberFormatting.shortest(format.bitsPerWeight)) bits per weight")

        try steps.begin("Error per layer")
        context.print(QuantizeViews.errorTable(run.errorTable, context))
    }
}
