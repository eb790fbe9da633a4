import SlimLab

/// `model use N`: make a variant current.
struct ModelUseCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]), summary: "the model to make current")
    static let configuration = CommandConfiguration(
        name: "use", summary: "make a model the current one", arguments: [variant],
        examples: ["model use baseline"])

    let variant: String
    init(arguments: ParsedArguments) throws { variant = try arguments.value(Self.variant) }

    func validate(in context: CommandContext) throws { try context.requireName(variant, .variant) }

    func run(in context: CommandContext) throws {
        try context.workspace.variants.use(variant)
        let current = try context.workspace.variants.variant()
        context.print("current model: \(current.name) (\(current.shortDescription))")
    }
}
