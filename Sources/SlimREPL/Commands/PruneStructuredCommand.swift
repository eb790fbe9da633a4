import SlimLab

/// `prune structured ratio=R [norm=l1|l2] [layers=…] [from=VARIANT] [as=NAME]`.
struct PruneStructuredCommand: REPLCommand {
    static let ratio = Option<Double>("ratio", required: true, in: 0.0..<1.0,
                                      summary: "R, the fraction of each layer's neurons or filters to remove")
    static let norm = Option<WeightNorm>("norm", default: .l2, summary: "how a unit is measured: l1 Σ|w|, l2 √Σw²")
    static let layers = Option<[String]>("layers", defaultDescription: "every hidden layer", placeholder: "LAYER,…",
                                         summary: "which layers lose units (fc1; not the output layer)")
    static let source = Option<String>.source("the variant to prune")
    static let name = Option<String>.newVariant("SOURCE-sR (baseline-s25)")

    static let configuration = CommandConfiguration(
        name: "structured", summary: "remove whole neurons or filters of smallest norm; the layers shrink",
        discussion: """
            Ranks the units of each chosen layer (rows of a Dense weight, filters of a Conv2D \
            weight) by their L1 or L2 norm, removes the weakest r = ⌊units·R⌋, and shrinks the \
            layer and the inputs of the layer that reads it. The result is a smaller dense model: \
            every kernel runs it faster, with no sparse formats needed.
            """,
        arguments: [ratio, norm, layers, source, name, Option<TechniqueDetail>.detail],
        examples: ["prune structured ratio=0.25", "prune structured ratio=0.5 norm=l1 layers=fc1 as=thin"])

    let ratio: Double
    let norm: WeightNorm
    let layers: [String]?
    let source: String?
    let name: String?
    let detail: TechniqueDetail

    init(arguments: ParsedArguments) throws {
        ratio = try arguments.value(Self.ratio)
        norm = try arguments.value(Self.norm)
        layers = try arguments.optionalValue(Self.layers)
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: source)
    }

    func run(in context: CommandContext) throws {
        let outcome = try context.workspace.pruneStructured(source, ratio: ratio, norm: norm, layers: layers, name: name)
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
