import SlimKernels
import SlimLab

/// `trace I [N] [on=test|train]`: one sample through every layer.
struct TraceCommand: REPLCommand {
    static let index = Positional<Int>("I", in: 0...Int.max, summary: "the sample's index in the test part (or on=train)")
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "the model to trace")
    static let part = Option<DatasetPart>("on", default: .test, summary: "which part of the data I indexes")

    static let configuration = CommandConfiguration(
        name: "trace", topic: .inspection,
        summary: "follow one sample through every layer, ending with the softmax",
        discussion: """
            Prints each layer's output (an excerpt of long ones) and keeps them, so that \
            `show fc1.out` and `formula softmax` can use them afterwards.
            """,
        arguments: [index, variant, part], examples: ["trace 0", "trace 3 baseline; show relu1.out", "trace 7; formula softmax"])

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
        let data = try context.requireData().dataset(part)
        let trace = try context.workspace.trace(sample: index, of: data, variant: variant)
        let formatter = TensorFormatter(precision: context.precision, edgeItems: 3)
        func shape(_ tensor: Tensor<Float>) -> String {
            "[" + tensor.shape.dropFirst().map(String.init).joined(separator: ", ") + "]"
        }
        func excerpt(_ tensor: Tensor<Float>) -> String {
            // One sample: drop the batch axis; images show their first channel.
            var value = tensor.reshaped(Array(tensor.shape.dropFirst()))
            var note = ""
            if value.rank == 3 && value.shape[0] > 1 {
                let plane = value.shape[1] * value.shape[2]
                value = Tensor(shape: [value.shape[1], value.shape[2]], scalars: Array(value.scalars.prefix(plane)))
                note = "channel 0 of \(tensor.shape[1]):\n"
            }
            return note + formatter.format(value)
        }
        context.print("sample \(trace.sampleIndex) of \(trace.datasetName) (\(part.rawValue)) through \(trace.variantName)"
                      + (trace.trueLabel.map { ": true class \(trace.classNames[$0])" } ?? ""))
        context.print("\(context.style("input", .bold)) \(shape(trace.input.value))")
        context.print(excerpt(trace.input.value))
        for step in trace.steps {
            context.print("\(context.style(step.output.name, .bold)) \(shape(step.output.value)) · \(step.kind)")
            context.print(excerpt(step.output.value))
        }
        context.print("softmax:")
        PredictCommand.render(trace.prediction, model: trace.variantName, part: part, title: false, in: context)
    }
}

