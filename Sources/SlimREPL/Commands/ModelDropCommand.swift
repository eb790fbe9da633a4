import SlimLab

/// `model drop N`: remove a variant from the session.
struct ModelDropCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]), summary: "the model to remove")
    static let configuration = CommandConfiguration(
        name: "drop", aliases: ["rm"], summary: "remove a model from the session", arguments: [variant],
        examples: ["model drop experiment"])

    let variant: String
    init(arguments: ParsedArguments) throws { variant = try arguments.value(Self.variant) }

    func validate(in context: CommandContext) throws { try context.requireName(variant, .variant) }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        try workspace.dropModel(variant)
        var line = "dropped \(variant)"
        if let current = workspace.variants.currentName { line += "; current model: \(current)" }
        context.print(line)
    }
}
