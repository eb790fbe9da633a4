import SlimLab

/// `predict I [N] [on=test|train]`: one sample's class probabilities as a bar chart.
struct PredictCommand: REPLCommand {
    static let index = Positional<Int>("I", in: 0...Int.max, summary: "the sample's index in the test part (or on=train)")
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "the model that predicts")
    static let part = Option<DatasetPart>("on", default: .test, summary: "which part of the data I indexes")

    static let configuration = CommandConfiguration(
        name: "predict", topic: .inspection,
        summary: "class probabilities of one sample, with its true label",
        arguments: [index, variant, part], examples: ["predict 0", "predict 12 baseline", "predict 5 on=train"])

    let index: Int, variant: String?, part: DatasetPart
    init(arguments: ParsedArguments) throws {
        index = try arguments.value(Self.index)
        variant = try arguments.optionalValue(Self.variant)
        part = try arguments.value(Self.part)
    }

    func validate(in context: CommandContext) throws {
        if let variant { try context.requireName(variant, .variant) }
        let model = try context.workspace.variants.variant(named: variant).model
        let data = try context.requireData().dataset(part)
        try model.checkCompatible(with: data)
        _ = try model.predict(sample: index, of: data, pool: context.workspace.pool)
    }

    func run(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        let data = try context.requireData().dataset(part)
        let prediction = try chosen.model.predict(sample: index, of: data, pool: context.workspace.pool)
        Self.render(prediction, model: chosen.name, part: part, in: context)
    }

    /// The probabilities as bars (the predicted class marked) and the verdict.
    static func render(_ prediction: Prediction, model: String, part: DatasetPart, title: Bool = true,
                       in context: CommandContext) {
        let predicted = prediction.predictedClass
        if title {
            var text = "sample \(prediction.sampleIndex) of \(prediction.datasetName) (\(part.rawValue)) through \(model)"
            if let label = prediction.trueLabel { text += ": true class \(prediction.classNames[label])" }
            context.print(text)
        }
        let bars = prediction.probabilities.enumerated().map { j, p in
            BarChart.Bar(prediction.classNames[j], Double(p), valueText: NumberFormatting.percent(Double(p)))
        }
        context.print(BarChart(bars: bars, maximum: 1, markedBar: predicted).render(barWidth: 30, style: context.style))
        var verdict = "predicted \(prediction.classNames[predicted]) (\(NumberFormatting.percent(Double(prediction.probabilities[predicted]))))"
        if let correct = prediction.isCorrect {
            verdict += correct ? " — correct" : " — wrong, the true class is \(prediction.classNames[prediction.trueLabel!])"
        }
        context.print(verdict)
    }
}
