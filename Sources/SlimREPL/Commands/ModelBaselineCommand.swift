import SlimLab

/// `model baseline [N]`: show or choose what `compare` measures against.
struct ModelBaselineCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", arity: .optional, kind: .name([.variant]),
                                            summary: "the model to compare against")
    static let configuration = CommandConfiguration(
        name: "baseline", summary: "show or set the baseline that compare measures against",
        discussion: "Without a name, shows the baseline: the model set here, or else the first trained one.",
        arguments: [variant], examples: ["model baseline", "model baseline baseline"])

    let variant: String?
    init(arguments: ParsedArguments) throws { variant = try arguments.optionalValue(Self.variant) }

    func validate(in context: CommandContext) throws {
        if let variant { try context.requireName(variant, .variant) }
    }

    func run(in context: CommandContext) throws {
        let table = context.workspace.variants
        if let variant {
            try context.workspace.variants.setBaseline(variant)
            context.print("baseline: \(variant)")
        } else if let baseline = table.baseline {
            let how = table.explicitBaselineName == nil ? "the first trained model" : "set with model baseline"
            context.print("baseline: \(baseline.name) (\(how))")
        } else {
            context.print("no baseline yet: it is the first model you train, or set one with 'model baseline N'")
        }
    }
}
