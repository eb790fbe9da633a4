import SlimLab

/// `plot bits [VARIANT] [bits=2,3,4,5,6,8] [scheme=…] [granularity=…] [svg=PATH]`: test
/// accuracy against the weights' bit width.
struct PlotBitsCommand: REPLCommand {
    static let bits = Option<[Int]>("bits", default: [2, 3, 4, 5, 6, 8], summary: "the weight widths to try (2…8)")
    static let scheme = Option<QuantizationScheme>("scheme", default: .symmetric, summary: "the weight grid")
    static let granularity = Option<QuantizationGranularity>("granularity", default: .channel,
                                                             summary: "one scale per tensor or per output channel")

    static let configuration = CommandConfiguration(
        name: "bits", summary: "accuracy vs weight bit width",
        discussion: """
            Quantizes the weights alone (activations stay Float) at each width and measures the test \
            accuracy; the model is not changed. The dotted line is the Float accuracy; the note under \
            the chart gives the stored size at each width (codes are stored in 2-, 4- or 8-bit fields).
            """,
        arguments: [PlotCommand.variant, bits, scheme, granularity, PlotCommand.svg],
        examples: ["plot bits", "plot bits bits=1,2,3,4 granularity=tensor"])

    let variant: String?, widths: [Int], scheme: QuantizationScheme, granularity: QuantizationGranularity, svg: String?
    init(arguments: ParsedArguments) throws {
        variant = try arguments.optionalValue(PlotCommand.variant)
        widths = try arguments.value(Self.bits)
        scheme = try arguments.value(Self.scheme)
        granularity = try arguments.value(Self.granularity)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: variant)
        _ = try context.requireData()
        for width in widths where !(2...8).contains(width) {
            throw CommandFailure("bits=\(widths.map(String.init).joined(separator: ",")): \(width) is not allowed; use widths from 2 to 8")
        }
    }

    func run(in context: CommandContext) throws {
        let sweep = try context.workspace.bitWidthSweep(variant, bits: widths.sorted(), scheme: scheme, granularity: granularity)
        let points = sweep.points.map { Plot.Point(Double($0.bits), $0.testAccuracy) }
        let sizes = sweep.points.map { "\($0.bits) bits \(NumberFormatting.bytes($0.byteCount))" }.joined(separator: " · ")
        let plot = Plot(title: "\(sweep.variant): test accuracy by weight bit width (\(scheme.rawValue), per \(granularity.rawValue))",
                        x: Plot.Axis("bits per weight", unit: .integer), y: Plot.Axis("test accuracy", unit: .percent),
                        series: [Plot.Series("weights quantized", points: points)],
                        horizontalGuides: [Plot.Guide(sweep.floatAccuracy, "float32 \(NumberFormatting.percent(sweep.floatAccuracy)), "
                                                      + NumberFormatting.bytes(sweep.floatBytes))],
                        note: "stored size: " + sizes)
        try context.show([plot], heights: [10], svg: svg)
    }
}
