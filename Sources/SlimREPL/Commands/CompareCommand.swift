import SlimLab
import SlimKernels

/// `compare [N…] [timing=on|off]`: every variant beside the baseline.
struct CompareCommand: REPLCommand {
    static let variants = Positional<String>("VARIANT", arity: .repeated, defaultDescription: "every model",
                                             kind: .name([.variant]), summary: "the models to compare")
    static let timing = Option<Bool>("timing", defaultDescription: "on at a terminal, off in scripts",
                                     summary: "measure latency per sample and per batch of 256 (median of repeats)")

    static let configuration = CommandConfiguration(
        name: "compare", topic: .compression,
        summary: "models side by side: size, accuracy and speed against the baseline",
        discussion: """
            The baseline (▸) comes first: the model set with `model baseline`, or the first trained \
            one. ×smaller is the baseline's bytes over the model's; Δ acc is in percentage points. \
            Latency is measured on the kernels (median of repeats), so it changes from run to run: \
            scripts leave it out unless timing=on.
            """,
        arguments: [variants, timing], examples: ["compare", "compare baseline pruned-80", "compare timing=on"])

    let variants: [String], timing: Bool?
    init(arguments: ParsedArguments) throws {
        variants = try arguments.values(Self.variants)
        timing = try arguments.optionalValue(Self.timing)
    }

    func validate(in context: CommandContext) throws {
        for variant in variants { try context.requireName(variant, .variant) }
        if context.workspace.variants.isEmpty { throw VariantError.noVariants }
    }

    func run(in context: CommandContext) throws {
        let timed = timing ?? (context.isInteractive && context.output.isTerminal)
        let comparison = try context.workspace.variants.compare(
            variants, test: context.workspace.data?.test, timing: timed, pool: context.workspace.pool)
        var titles = ["variant", "parameters", "non-zero", "bytes", "×smaller", "test acc", "Δ acc"]
        if timed { titles += ["µs/sample", "ms/256", "speedup"] }
        let rows = comparison.rows.map { row -> [String] in
            var cells = [row.name, NumberFormatting.grouped(row.parameterCount), NumberFormatting.grouped(row.nonZeroCount),
                         NumberFormatting.bytes(row.byteCount),
                         row.timesSmaller.map { NumberFormatting.fixed($0, digits: 2) + "×" } ?? "-",
                         row.testAccuracy.map { NumberFormatting.percent($0) } ?? "-",
                         row.deltaAccuracyPoints.map { (($0 > 0) ? "+" : "") + NumberFormatting.fixed($0, digits: 2) } ?? "-"]
            if timed {
                cells += [row.latencyPerSample.map { NumberFormatting.fixed($0.seconds * 1e6, digits: 1) } ?? "-",
                          row.latencyPerBatch.map { NumberFormatting.fixed($0.seconds * 1e3, digits: 3) } ?? "-",
                          row.speedup.map { NumberFormatting.fixed($0, digits: 2) + "×" } ?? "-"]
            }
            return cells
        }
        let columns = titles.enumerated().map { Table.Column($1, alignment: $0 == 0 ? .left : .right) }
        let marked = comparison.rows.firstIndex(where: \.isBaseline)
        context.print(Table(columns: columns, rows: rows, markedRow: marked).render(width: context.width, style: context.style))
        if timed { context.print(kernelDescription(threads: context.workspace.pool.threadCount)) }
        if comparison.baselineName == nil {
            context.print("no baseline yet: train a model or choose one with 'model baseline N'")
        }
        if comparison.datasetName == nil {
            context.print("no data loaded: accuracy needs 'data load …'")
        }
    }
}
