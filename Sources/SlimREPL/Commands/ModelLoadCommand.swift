import SlimLab

/// `model load PATH [name=N]`: a safetensors file as a new variant.
struct ModelLoadCommand: REPLCommand {
    static let path = Positional<String>("PATH", kind: .name([.path]), summary: "a .safetensors file written by model save (or an MLP state_dict)")
    static let name = Option<String>("name", defaultDescription: "the name saved in the file, or the file's name",
                                     summary: "the new variant's name")

    static let configuration = CommandConfiguration(
        name: "load", summary: "load a model from a safetensors file and make it current",
        discussion: "A corrupt or foreign file gives an error naming the problem, and the session stays as it was.",
        arguments: [path, name], examples: ["model load baseline.safetensors", "model load weights.safetensors name=imported"])

    let path: String, name: String?
    init(arguments: ParsedArguments) throws {
        path = try arguments.value(Self.path)
        name = try arguments.optionalValue(Self.name)
    }

    func run(in context: CommandContext) throws {
        let variant = try context.workspace.loadModel(from: path, name: name)
        context.print("loaded \(variant.name) from \(path): \(variant.shortDescription), trained \(variant.model.completedEpochs) epochs")
    }
}
