import SlimLab

/// `plot calibration [VARIANT] [activation=NAME] [calib=mse|entropy] [bits=8] [svg=PATH]`: the
/// cost of every clipping threshold a calibrator tried, the chosen one marked.
struct PlotCalibrationCommand: REPLCommand {
    enum Search: String, CaseIterable, ArgumentValue { case mse, entropy }

    static let activation = Option<String>("activation", defaultDescription: "the first hidden activation",
                                           summary: "the activation whose range is calibrated (relu1.out, …)")
    static let calib = Option<Search>("calib", default: .mse,
                                      summary: "the search: squared error or KL divergence (TensorRT's entropy)")
    static let bits = Option<Int>("bits", default: 8, in: 2...8, summary: "the activation code width")
    static let samples = Option<Int>("samples", default: 256, in: 1...1_000_000, summary: "training rows to calibrate on")

    static let configuration = CommandConfiguration(
        name: "calibration", summary: "the threshold sweep of a calibrator, the chosen point marked",
        discussion: """
            A searching calibrator tries every clipping threshold T on a histogram of the \
            activation and keeps the cheapest. The curve is that cost; the dotted line is the \
            chosen T (an int8 variant calibrated the same way shows its own choice).
            """,
        arguments: [PlotCommand.variant, activation, calib, bits, samples, PlotCommand.svg],
        examples: ["plot calibration", "plot calibration calib=entropy activation=relu2.out"])

    let variant: String?, activation: String?, search: Search, bits: Int, samples: Int, svg: String?
    init(arguments: ParsedArguments) throws {
        variant = try arguments.optionalValue(PlotCommand.variant)
        activation = try arguments.optionalValue(Self.activation)
        search = try arguments.value(Self.calib)
        bits = try arguments.value(Self.bits)
        samples = try arguments.value(Self.samples)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: variant)
        _ = try context.requireData()
    }

    func run(in context: CommandContext) throws {
        let method: CalibrationMethod = search == .mse ? .mse : .entropy
        let settings = CalibrationSettings(method: method, bits: bits)
        var sample = try context.workspace.activationSample(variant, point: activation, settings: settings, samples: samples)
        if sample.calibration?.method != method || sample.calibration?.searchCurve.isEmpty != false {
            sample = try context.workspace.activationSample(variant, point: activation, settings: settings,
                                                            samples: samples, useEngineRange: false)
        }
        guard let result = sample.calibration, let threshold = result.threshold, !result.searchCurve.isEmpty else {
            throw CommandFailure("the \(method.rawValue) calibration of \(sample.name) tried no thresholds")
        }
        let points = result.searchCurve.filter { $0.cost.isFinite }.map { Plot.Point(Double($0.threshold), $0.cost) }
        let cost = method == .mse ? "mean squared error" : "KL divergence"
        let plot = Plot(title: "\(method.rawValue) calibration of \(sample.name) (\(sample.variant), \(bits)-bit): \(cost) by threshold T",
                        x: Plot.Axis("clipping threshold T"), y: Plot.Axis(cost),
                        series: [Plot.Series(cost, points: points)],
                        verticalGuides: [Plot.Guide(Double(threshold), "chosen T = \(context.fixed(Double(threshold)))")],
                        note: "\(result.searchCurve.count) thresholds tried · max |x| seen "
                            + context.fixed(Double(max(abs(result.observedMin), abs(result.observedMax))))
                            + " · \(NumberFormatting.percent(result.clippedFraction)) of values clipped · \(sample.rangeSource)")
        try context.show([plot], heights: [10], svg: svg)
    }
}
