import SlimLab

/// `plot training [VARIANT] [svg=PATH]`: the loss, and the train and test accuracy, epoch by
/// epoch over every training run of a variant.
struct PlotTrainingCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "training", summary: "loss and train/test accuracy per epoch",
        discussion: """
            Every training run of the model in this session, one after the other (epochs count on \
            across runs, as the model's own epoch count does). A test curve that flattens while the \
            train curve keeps rising is overfitting.
            """,
        arguments: [PlotCommand.variant, PlotCommand.svg], examples: ["plot training", "plot training student svg=student.svg"])

    let variant: String?, svg: String?
    init(arguments: ParsedArguments) throws {
        variant = try arguments.optionalValue(PlotCommand.variant)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        if chosen.trainingRuns.isEmpty {
            throw CommandFailure("\(chosen.name) has not been trained in this session; 'train' it first (or plot another model)")
        }
    }

    func run(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        let epochs = chosen.trainingRuns.flatMap(\.epochs)
        let x = Plot.Axis("epoch", unit: .integer)
        let loss = Plot(title: "training loss of \(chosen.name)", x: x, y: Plot.Axis("mean cross-entropy"),
                        series: [Plot.Series("loss", points: epochs.map { Plot.Point(Double($0.modelEpoch), $0.loss) })])
        var series = [Plot.Series("train", points: epochs.map { Plot.Point(Double($0.modelEpoch), $0.trainAccuracy) })]
        let tested = epochs.filter { $0.testAccuracy != nil }
        if !tested.isEmpty {
            series.append(Plot.Series("test", points: tested.map { Plot.Point(Double($0.modelEpoch), $0.testAccuracy!) },
                                      marker: .circle))
        }
        let accuracy = Plot(title: "accuracy of \(chosen.name)", x: x, y: Plot.Axis("accuracy", unit: .percent), series: series)
        try context.show([loss, accuracy], heights: [6, 10], svg: svg)
    }
}
