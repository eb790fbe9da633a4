import SlimLab

/// `quantize conventions TENSOR [VARIANT]`: one tensor under the int8 conventions of PyTorch,
/// TFLite, affine and ggml, side by side. It only looks: nothing is made.
struct QuantizeConventionsCommand: REPLCommand {
    static let tensor = Positional<String>("TENSOR", kind: .name([.tensor]), summary: "the weight to look at (fc1.weight)")
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "whose tensor")

    static let configuration = CommandConfiguration(
        name: "conventions", summary: "compare the int8 conventions of PyTorch, TFLite, affine and ggml on one tensor",
        arguments: [tensor, variant],
        examples: ["quantize conventions fc1.weight", "quantize conventions fc2.weight int8"])

    let tensor: String
    let variant: String?

    init(arguments: ParsedArguments) throws {
        tensor = try arguments.value(Self.tensor)
        variant = try arguments.optionalValue(Self.variant)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: variant).model.parameter(named: tensor)
    }

    func run(in context: CommandContext) throws {
        try QuantizeConventionsView.run(tensor: tensor, variant: variant, in: context)
    }
}
