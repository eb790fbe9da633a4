import SlimLab

/// `quantize [bits=8] [scheme=…] [granularity=…] [weights-only=yes|no] [format=q8_0|q4_0]
/// [calib=…] [samples=N] [from=VARIANT] [as=N] [timing=on|off] [detail=full|brief]`: post-training quantization into a new variant,
/// step by step. `quantize conventions TENSOR` is its sub-command.
struct QuantizeCommand: REPLCommand {
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
    static let source = Option<String>.source("the variant to quantize")
    static let name = Option<String>.newVariant("int8, int4-w, q4_0, … made unique")
    static let timing = Option<Bool>("timing", default: false,
                                     summary: "also measure the latency at batch 256 of both models (varies from run to run)")

    static let configuration = CommandConfiguration(
        name: "quantize", topic: .compression,
        summary: "quantize a model into a new variant, step by step",
        discussion: """
            By default both weights and activations are quantized and the variant runs end to end on \
            the int8 engine (int8 × int8 → int32, requantized between layers, ReLU fused; Float only at \
            the input and the output). Activation ranges are calibrated on `samples` training rows: \
            minmax, movingavg (c = 0.01), percentile (99.99 % of |x|), mse or entropy (KL, as TensorRT). \
            weights-only=yes stores the weights quantized and dequantizes them for Float products; \
            format=q8_0|q4_0 stores them in llama.cpp's block formats. Rounding is half to even. \
            The source model is never changed and stays current.
            """,
        usage: "[bits=8] [abits=N] [scheme=symmetric|affine] [granularity=tensor|channel] [weights-only=yes|no] "
            + "[format=q8_0|q4_0] [calib=minmax|movingavg|percentile|mse|entropy] [samples=N] [from=VARIANT] [as=NAME] "
            + "[timing=on|off] [detail=full|brief]",
        arguments: [bits, activationBits, scheme, granularity, weightsOnly, format, calibration, samples, source, name, timing,
                    Option<TechniqueDetail>.detail],
        subcommands: [QuantizeConventionsCommand.self],
        examples: ["quantize granularity=channel as=int8", "quantize bits=4 as=int4", "quantize weights-only=yes bits=4",
                   "quantize format=q4_0 from=baseline", "quantize calib=entropy as=int8-kl", "quantize conventions fc1.weight"])

    let options: QuantizationOptions
    let source: String?
    let name: String?
    let timing: Bool
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        var calibration = CalibrationSettings()
        calibration.method = try arguments.value(Self.calibration)
        options = QuantizationOptions(
            bits: try arguments.value(Self.bits), activationBits: try arguments.optionalValue(Self.activationBits),
            scheme: try arguments.value(Self.scheme), granularity: try arguments.value(Self.granularity),
            weightsOnly: try arguments.value(Self.weightsOnly), format: try arguments.optionalValue(Self.format),
            calibration: calibration, calibrationSamples: try arguments.value(Self.samples))
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        timing = try arguments.value(Self.timing)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func run(in context: CommandContext) throws {
        let outcome = try context.workspace.quantize(source, options: options, name: name, timing: timing)
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}

extension QuantizationScheme: ArgumentValue {}
extension QuantizationGranularity: ArgumentValue {}
extension BlockFormat: ArgumentValue {}
extension CalibrationMethod: ArgumentValue {}
