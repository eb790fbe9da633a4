import SlimLab

/// `model copy A B`: a new variant with A's weights, masks and history.
struct ModelCopyCommand: REPLCommand {
    static let source = Positional<String>("SOURCE", kind: .name([.variant]), summary: "the model to copy")
    static let target = Positional<String>("NAME", summary: "the new model's name")
    static let configuration = CommandConfiguration(
        name: "copy", aliases: ["cp"], summary: "copy a model under a new name and make the copy current",
        discussion: "The copy starts with the same weights (and masks); changing one never changes the other.",
        arguments: [source, target], examples: ["model copy baseline experiment"])

    let source: String, target: String
    init(arguments: ParsedArguments) throws {
        source = try arguments.value(Self.source)
        target = try arguments.value(Self.target)
    }

    func validate(in context: CommandContext) throws { try context.requireName(source, .variant) }

    func run(in context: CommandContext) throws {
        let copy = try context.workspace.variants.copy(source, to: target)
        context.print("copied \(source) to \(copy.name); current model: \(copy.name)")
    }
}
