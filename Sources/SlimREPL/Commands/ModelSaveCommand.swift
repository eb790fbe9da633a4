import SlimLab

/// `model save N PATH`: a variant to a safetensors file.
struct ModelSaveCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]), summary: "the model to save")
    static let path = Positional<String>("PATH", kind: .name([.path]), summary: "the file to write (.safetensors)")

    static let configuration = CommandConfiguration(
        name: "save", summary: "save a model to a safetensors file (PyTorch and NumPy open it)",
        discussion: """
            Parameters are F32 tensors named like PyTorch's (fc1.weight), pruning masks U8 tensors \
            (fc1.weight_mask); the architecture is in the file's metadata. The file is written to a \
            temporary name and renamed, so a failed save leaves no broken file.
            """,
        arguments: [variant, path], examples: ["model save baseline baseline.safetensors"])

    let variant: String, path: String
    init(arguments: ParsedArguments) throws {
        variant = try arguments.value(Self.variant)
        path = try arguments.value(Self.path)
    }

    func validate(in context: CommandContext) throws { try context.requireName(variant, .variant) }

    func run(in context: CommandContext) throws {
        let bytes = try context.workspace.saveModel(variant, to: path)
        context.print("saved \(variant) to \(path) (\(NumberFormatting.bytes(bytes)))")
    }
}
