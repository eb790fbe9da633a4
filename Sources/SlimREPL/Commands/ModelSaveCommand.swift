import SlimLab

/// `model save N PATH`: a variant to a safetensors file.
struct ModelSaveCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]), summary: "the model to save")
    static let path = Positional<String>("PATH", kind: .name([.path]), summary: "the file to write (.safetensors)")

    static let configuration = CommandConfiguration(
        name: "save", summary: "save a model to a safetensors file (PyTorch and NumPy open it)",
        discussion: """
            Tensors are named like PyTorch's (fc1.weight) and kept in the form the model stores them: \
            F32 as trained, CSR for pruned layers, int8 or packed codes with their scales and zero \
            points, Q8_0/Q4_0 blocks, masks as bits, a static model's activation ranges. The \
            file's metadata holds the architecture and describes each stored form in words; \
            `model load` gives back the same model. The file is written to a temporary name and \
            renamed, so a failed save leaves no broken file.
            """,
        arguments: [variant, path], examples: ["model save baseline baseline.safetensors"])

    let variant: String, path: String
    init(arguments: ParsedArguments) throws {
        variant = try arguments.value(Self.variant)
        path = try arguments.value(Self.path)
    }

    func validate(in context: CommandContext) throws { try context.requireName(variant, .variant) }

    func run(in context: CommandContext) throws {
        let saved = try context.workspace.saveModel(variant, to: path)
        context.print("saved \(variant) to \(path): \(NumberFormatting.bytes(saved.fileBytes)) "
                      + "(\(NumberFormatting.bytes(saved.tensorBytes)) tensors, \(NumberFormatting.bytes(saved.headerBytes)) header)")
    }
}
