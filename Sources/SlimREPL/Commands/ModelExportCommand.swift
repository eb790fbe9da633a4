import SlimLab

/// `model export N PATH.onnx [reference=PATH.csv]`: a variant as an ONNX file.
struct ModelExportCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]), summary: "the model to export")
    static let path = Positional<String>("PATH", kind: .name([.path]), summary: "the file to write (.onnx)")
    static let reference = Option<String>("reference", kind: .name([.path]), placeholder: "PATH.csv",
                                          summary: "also write the test split with SlimLab's logits, to check a runtime against")

    static let configuration = CommandConfiguration(
        name: "export", summary: "export a model to ONNX (opset 13; int8 variants as QuantizeLinear/DequantizeLinear)",
        discussion: """
            fp32 layers become Gemm, Conv, Relu, MaxPool and Flatten nodes. A static int8 variant is \
            written in the QDQ form: int8 weights with per-channel scales on axis 0, dequantized into \
            a value that keeps the weight's name, and QuantizeLinear/DequantizeLinear with the \
            calibrated scale and zero point wherever SlimLab's engine holds int8 codes. The input \
            takes features as the model sees them (after the dataset's normalization). The file is \
            written to a temporary name and renamed.
            """,
        arguments: [variant, path, reference],
        examples: ["model export baseline baseline.onnx", "model export int8 int8.onnx reference=test.csv"])

    let variant: String, path: String, reference: String?
    init(arguments: ParsedArguments) throws {
        variant = try arguments.value(Self.variant)
        path = try arguments.value(Self.path)
        reference = try arguments.optionalValue(Self.reference)
    }

    func validate(in context: CommandContext) throws { try context.requireName(variant, .variant) }

    func run(in context: CommandContext) throws {
        let summary = try context.workspace.exportONNX(variant, to: path, referencePath: reference)
        let graph = summary.model.graph
        let operators = graph.operatorCounts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
        context.print("exported \(summary.variant) to \(path) (\(NumberFormatting.bytes(summary.fileBytes)), "
                      + "\(summary.form.rawValue), opset \(summary.model.opsetVersion))")
        context.print("  nodes: \(operators.joined(separator: ", "))")
        context.print("  initializers: \(graph.initializers.count), \(NumberFormatting.bytes(summary.initializerBytes)) of data")
        context.print("  input \(Self.shapeText(graph.inputs[0])) → output \(Self.shapeText(graph.outputs[0]))")
        if let reference = summary.reference {
            context.print("  reference: \(reference.path), \(NumberFormatting.grouped(reference.rows)) test samples")
        }
    }

    static func shapeText(_ value: ONNXValueInfo) -> String {
        let dims = value.shape.map { dimension -> String in
            switch dimension {
            case let .size(size): return String(size)
            case let .named(name): return name
            }
        }
        return "\(value.name) [\(dims.joined(separator: ", "))]"
    }
}
