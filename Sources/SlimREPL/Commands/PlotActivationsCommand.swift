import SlimLab

/// `plot activations ACTIVATION [VARIANT] [calib=…] [bins=N] [svg=PATH]`: the histogram of an
/// activation over the test data, with the clip range its quantization grid covers.
struct PlotActivationsCommand: REPLCommand {
    static let activation = Positional<String>("ACTIVATION", summary: "an activation: relu1.out, fc2.out, …")
    static let calib = Option<CalibrationMethod>("calib", default: .percentile,
                                                 summary: "how the range is chosen when the model has no int8 engine")
    static let bins = Option<Int>("bins", default: 60, in: 4...200, summary: "histogram bins")

    static let configuration = CommandConfiguration(
        name: "activations", summary: "an activation's histogram with its clip range",
        discussion: """
            The activation's values on every test sample. The dotted lines are the range its \
            quantization grid covers: the int8 engine's when the model runs on one, else what \
            calib= would choose. Values beyond them are clipped. After a ReLU most values are exactly \
            0; that spike is left out (and counted) so the rest stays visible.
            """,
        arguments: [activation, PlotCommand.variant, calib, bins, PlotCommand.svg],
        examples: ["plot activations relu1.out", "plot activations relu1.out int8", "plot activations relu1.out calib=minmax"])

    let activation: String, variant: String?, calib: CalibrationMethod, bins: Int, svg: String?
    init(arguments: ParsedArguments) throws {
        activation = try arguments.value(Self.activation)
        variant = try arguments.optionalValue(PlotCommand.variant)
        calib = try arguments.value(Self.calib)
        bins = try arguments.value(Self.bins)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        let model = try context.workspace.variants.variant(named: variant).model
        guard model.activationNames.contains(activation) else {
            throw CommandError.unknownName(kind: .tensor, name: activation, argument: nil,
                                           suggestion: Suggestion.closest(to: activation, among: model.activationNames),
                                           known: model.activationNames)
        }
        _ = try context.requireData()
    }

    func run(in context: CommandContext) throws {
        let sample = try context.workspace.activationSample(variant, point: activation,
                                                            settings: CalibrationSettings(method: calib))
        let zeros = sample.values.lazy.filter { $0 == 0 }.count
        let dropZeros = zeros * 5 > sample.values.count
        let shown = (dropZeros ? sample.values.filter { $0 != 0 } : sample.values).map(Double.init)
        let low = min(shown.min() ?? 0, Double(sample.clipMin)), high = max(shown.max() ?? 1, Double(sample.clipMax))
        let histogram = Histogram(values: shown, bins: bins, range: low...high)
        let width = (histogram.upperBound - histogram.lowerBound) / Double(bins)
        let points = histogram.counts.enumerated().map { index, count in
            Plot.Point(histogram.lowerBound + (Double(index) + 0.5) * width, Double(count))
        }
        var guides = [Plot.Guide(Double(sample.clipMax), "clip range [\(context.fixed(Double(sample.clipMin))), "
                                 + "\(context.fixed(Double(sample.clipMax)))] (\(sample.rangeSource))")]
        if sample.clipMin > Float(low) { guides.insert(Plot.Guide(Double(sample.clipMin), "min"), at: 0) }
        var note = "\(NumberFormatting.grouped(sample.values.count)) values · \(NumberFormatting.percent(sample.clippedFraction)) clipped"
        if dropZeros { note += " · \(NumberFormatting.grouped(zeros)) exact zeros (\(NumberFormatting.percent(Double(zeros) / Double(sample.values.count)))) left out" }
        let plot = Plot(title: "\(sample.name) of \(sample.variant) on the test data", x: Plot.Axis("value"),
                        y: Plot.Axis("count", unit: .integer),
                        series: [Plot.Series("values", points: points, kind: .bars)],
                        verticalGuides: guides, note: note)
        try context.show([plot], heights: [10], svg: svg)
    }
}
