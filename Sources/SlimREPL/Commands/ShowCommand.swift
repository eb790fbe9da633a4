import SlimLab

/// `show TENSOR [N]`: a parameter or a traced activation, NumPy-style, with its statistics
/// and histogram.
struct ShowCommand: REPLCommand {
    static let tensor = Positional<String>("TENSOR", kind: .name([.tensor]),
                                           summary: "a parameter (fc1.weight, fc1.bias) or an activation of the last trace (fc1.out, input)")
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "the model the tensor belongs to")
    static let bins = Option<Int>("bins", default: 24, in: 2...80, summary: "histogram bins")

    static let configuration = CommandConfiguration(
        name: "show", topic: .inspection,
        summary: "print a tensor with its shape, dtype, statistics and histogram",
        discussion: """
            Parameters are always there; activations (`fc1.out`, `relu1.out`, `input`) exist for the \
            sample of the last `trace`. Long dimensions are elided to their first and last entries; \
            `set precision=N` changes the digits.
            """,
        arguments: [tensor, variant, bins], examples: ["show fc1.weight", "show fc1.bias baseline", "trace 0; show relu1.out"])

    let tensor: String, variant: String?, bins: Int
    init(arguments: ParsedArguments) throws {
        tensor = try arguments.value(Self.tensor)
        variant = try arguments.optionalValue(Self.variant)
        bins = try arguments.value(Self.bins)
    }

    func validate(in context: CommandContext) throws {
        if let variant { try context.requireName(variant, .variant) }
        let known = context.workspace.tensorNames(variant: variant)
        guard known.contains(tensor) else {
            throw CommandError.unknownName(kind: .tensor, name: tensor, argument: nil,
                                           suggestion: Suggestion.closest(to: tensor, among: known), known: known)
        }
    }

    func run(in context: CommandContext) throws {
        let inspection = try context.workspace.inspectTensor(tensor, variant: variant, bins: bins)
        let stats = inspection.statistics
        let shape = "[" + stats.shape.map(String.init).joined(separator: ", ") + "]"
        let origin: String
        switch inspection.source {
        case .parameter(let name):
            origin = "parameter of \(name)"
        case let .activation(name, dataset, sample):
            origin = "activation of \(name) for sample \(sample) of \(dataset) (last trace)"
        }
        context.print("\(context.style(tensor, .bold)) \(shape) \(stats.dtype) · \(origin)")
        context.print(TensorFormatter(precision: context.precision).format(inspection.value))
        let digits = context.precision
        context.print("min \(context.fixed(Double(stats.minimum)))  max \(context.fixed(Double(stats.maximum)))  "
                      + "mean \(context.fixed(Double(stats.mean)))  std \(context.fixed(Double(stats.standardDeviation)))  "
                      + "zeros \(NumberFormatting.percent(stats.zeroFraction)) "
                      + "(\(NumberFormatting.grouped(stats.zeroCount)) of \(NumberFormatting.grouped(stats.count)))")
        if let mask = inspection.mask {
            let pruned = mask.scalars.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            context.print("mask: \(NumberFormatting.grouped(pruned)) of \(NumberFormatting.grouped(mask.count)) entries pruned "
                          + "(\(NumberFormatting.percent(Double(pruned) / Double(max(1, mask.count)))))")
        }
        let histogram = Histogram(counts: stats.histogram.counts, lowerBound: Double(stats.histogram.lower),
                                  upperBound: Double(stats.histogram.upper))
        context.print(histogram.render(height: 6, digits: digits, style: context.style))
    }
}
