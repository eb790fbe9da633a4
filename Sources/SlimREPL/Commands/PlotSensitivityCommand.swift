import SlimLab

/// `plot sensitivity [VARIANT] [sparsities=…] [method=…] [svg=PATH]`: test accuracy against
/// sparsity, each layer pruned alone.
struct PlotSensitivityCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "sensitivity", summary: "accuracy vs sparsity, each layer pruned alone",
        discussion: """
            Runs the analysis of `prune sensitivity` (the model is not changed) and draws one curve \
            per layer; the dotted line is the unpruned accuracy. A curve that falls early belongs to \
            a fragile layer.
            """,
        arguments: [PlotCommand.variant, PruneSensitivityCommand.sparsities, PruneSensitivityCommand.method, PlotCommand.svg],
        examples: ["plot sensitivity", "plot sensitivity sparsities=0.5,0.8,0.9,0.95,0.99"])

    let variant: String?, levels: [Double], method: SensitivityMethod, svg: String?
    init(arguments: ParsedArguments) throws {
        variant = try arguments.optionalValue(PlotCommand.variant)
        levels = try arguments.value(PruneSensitivityCommand.sparsities)
        method = try arguments.value(PruneSensitivityCommand.method)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: variant)
        try PruneSensitivityCommand.checkLevels(levels, method: method)
    }

    func run(in context: CommandContext) throws {
        let analysis = try context.workspace.pruningSensitivity(variant, levels: levels, method: method)
        let markers = Plot.Marker.allCases
        let series = analysis.curves.enumerated().map { index, curve in
            Plot.Series(curve.name, points: zip(analysis.levels, curve.accuracies).map { Plot.Point($0, $1) },
                        marker: markers[index % markers.count])
        }
        let what = method == .magnitude ? "sparsity" : "ratio of units removed"
        let plot = Plot(title: "sensitivity of \(analysis.variant): test accuracy, one layer pruned at a time",
                        x: Plot.Axis(what, unit: .percent), y: Plot.Axis("test accuracy", unit: .percent),
                        series: series,
                        horizontalGuides: [Plot.Guide(analysis.baselineAccuracy,
                                                      "unpruned \(NumberFormatting.percent(analysis.baselineAccuracy))")])
        try context.show([plot], heights: [12], svg: svg)
    }
}
