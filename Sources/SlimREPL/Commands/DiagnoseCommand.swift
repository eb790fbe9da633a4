import SlimLab

/// `diagnose FLOAT COMPRESSED [rows=256]`: why did accuracy drop, layer by layer.
struct DiagnoseCommand: REPLCommand {
    static let reference = Positional<String>("FLOAT", kind: .name([.variant]), summary: "the float model")
    static let compressed = Positional<String>("COMPRESSED", kind: .name([.variant]),
                                               summary: "a pruned or quantized variant of it")
    static let rows = Option<Int>("rows", default: 256, in: 1...100_000, summary: "training rows in the fixed batch")

    static let configuration = CommandConfiguration(
        name: "diagnose", topic: .inspection, summary: "find the layers that cost a compressed variant its accuracy",
        discussion: """
            Compares every layer's output with the float model's on a fixed batch of training rows: \
            isolated (only this layer compressed, fed the float input) and accumulated (everything \
            up to it compressed), as SQNR in dB (higher is better), cosine similarity and MSE. Rank 1 \
            is the layer with the lowest isolated SQNR: the one to give more bits, prune less or \
            leave in fp32. For a static int8 variant it also checks deployment parity: the int8 \
            engine against the fake-quant forward of the same grids, point by point.
            """,
        arguments: [reference, compressed, rows],
        examples: ["diagnose baseline int8", "diagnose baseline pruned-80 rows=512"])

    let reference: String, compressed: String, rows: Int
    init(arguments: ParsedArguments) throws {
        reference = try arguments.value(Self.reference)
        compressed = try arguments.value(Self.compressed)
        rows = try arguments.value(Self.rows)
    }

    func validate(in context: CommandContext) throws {
        try context.requireName(reference, .variant)
        try context.requireName(compressed, .variant)
    }

    func run(in context: CommandContext) throws {
        let diagnosis = try context.workspace.diagnose(reference, compressed, rows: rows)
        DiagnosisRenderer(context: context).render(diagnosis)
    }
}
