import SlimLab
import SlimKernels

/// `bench [VARIANT] [layer=NAME] [batch=64] [timing=on|off]`: one pruned layer four ways.
struct BenchCommand: REPLCommand {
    static let model = Positional<String>("VARIANT", arity: .optional, kind: .name([.variant]),
                                          summary: "the variant whose layer to run (the current one by default)")
    static let layer = Option<String>("layer", defaultDescription: "the largest Dense layer", placeholder: "LAYER", summary: "the Dense layer to run (fc1)")
    static let batch = Option<Int>("batch", default: 64, in: 1...65_536, summary: "rows per forward pass")
    static let timing = Option<Bool>("timing", default: true,
                                     summary: "measure time (off: bytes and multiply-adds only, the same on every machine)")

    static let configuration = CommandConfiguration(
        name: "bench", topic: .compression,
        summary: "run one pruned layer four ways: dense, dense with mask, CSR, structurally shrunk",
        discussion: """
            Shows where a speed-up from pruning comes from: zeros in a dense matrix cost as much \
            as any number; applying a mask every pass costs more; CSR does work only for the kept \
            weights but pays for indices; a structurally smaller layer is fast on every kernel. \
            Bytes count what is stored (CSR: values, column indices and row pointers).
            """,
        arguments: [model, layer, batch, timing],
        examples: ["bench", "bench p90 layer=fc1 batch=256", "bench p90 timing=off"])

    let variant: String?
    let layer: String?
    let batch: Int
    let timing: Bool

    init(arguments: ParsedArguments) throws {
        variant = try arguments.optionalValue(Self.model)
        layer = try arguments.optionalValue(Self.layer)
        batch = try arguments.value(Self.batch)
        timing = try arguments.value(Self.timing)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: variant)
    }

    func run(in context: CommandContext) throws {
        let bench = try context.workspace.benchPrunedLayer(variant, layer: layer, batch: batch)
        let name = try context.workspace.variants.variant(named: variant).name
        context.print(context.style("\(bench.name) of \(name): \(NumberFormatting.percent(bench.density)) of the weights kept, batch \(bench.batch)\(timing ? ", \(bench.threads) thread\(bench.threads == 1 ? "" : "s")" : "")", .bold))
        let dense = bench.rows[0]
        var rows: [[String]] = []
        for row in bench.rows {
            let shape = "[" + row.shape.map(String.init).joined(separator: ", ") + "]"
            var cells = [row.way.rawValue, shape, NumberFormatting.grouped(row.bytes),
                         NumberFormatting.fixed(Double(row.bytes) / Double(dense.bytes), digits: 2) + "×",
                         NumberFormatting.grouped(Self.multiplyAdds(row, bench: bench))]
            if timing {
                cells += [NumberFormatting.duration(seconds: row.seconds),
                          NumberFormatting.fixed(dense.seconds / row.seconds, digits: 2) + "×"]
            }
            rows.append(cells)
        }
        var titles = ["way", "weight shape", "bytes", "vs dense", "multiply-adds"]
        if timing { titles += ["time (median)", "speed-up"] }
        context.print(Table(titles, rows: rows).render(width: context.width, style: context.style))
        if timing {
            let crossover = context.workspace.sparseCrossover.measurement(
                rows: dense.shape[0], columns: dense.shape[1], batch: bench.batch, pool: context.workspace.pool)
            context.print("CSR beats dense on this machine below \(NumberFormatting.percent(crossover.crossoverDensity, digits: 1)) kept (measured for this shape and batch)")
            context.print(kernelDescription(threads: bench.threads))
        }
    }

    /// The multiply-adds one forward pass does: all weights for dense, kept ones for CSR.
    static func multiplyAdds(_ row: SparseLayerBenchmark.Row, bench: SparseLayerBenchmark) -> Int {
        let weights = row.shape.reduce(1, *)
        switch row.way {
        case .dense, .masked, .shrunk: return weights * bench.batch
        case .csr: return Int((Double(weights) * bench.density).rounded()) * bench.batch
        }
    }
}
