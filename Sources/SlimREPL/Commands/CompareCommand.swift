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
            scripts and lesson cells leave it out unless timing=on. Each × is the baseline's time over the model's in the measurement left of it.
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
        // A lesson's cells compare without timings (they change from run to run) unless asked.
        let timed = timing ?? (context.isInteractive && context.output.isTerminal && context.lesson == nil)
        let comparison = try context.workspace.variants.compare(
            variants, test: context.workspace.data?.test, timing: timed, pool: context.workspace.pool)
        var titles = ["variant", "params", "non-zero", "bytes", "×smaller", "test acc", "Δ acc"]
        // Each speedup stands right of the time it is computed from; the kernels say what ran.
        if timed { titles += ["µs/sample", "×", "ms/256", "×", "kernels"] }
        let speed = { (value: Double?) in value.map { NumberFormatting.fixed($0, digits: 2) + "×" } ?? "-" }
        let rows = comparison.rows.map { row -> [String] in
            var cells = [row.name, NumberFormatting.grouped(row.parameterCount), NumberFormatting.grouped(row.nonZeroCount),
                         NumberFormatting.bytes(row.byteCount),
                         row.timesSmaller.map { NumberFormatting.fixed($0, digits: 2) + "×" } ?? "-",
                         row.testAccuracy.map { NumberFormatting.percent($0) } ?? "-",
                         row.deltaAccuracyPoints.map { (($0 > 0) ? "+" : "") + NumberFormatting.fixed($0, digits: 2) } ?? "-"]
            if timed {
                let kernels = (try? context.workspace.variants.variant(named: row.name).model.kernelPaths) ?? "-"
                cells += [row.latencyPerSample.map { NumberFormatting.fixed($0.seconds * 1e6, digits: 1) } ?? "-",
                          speed(comparison.speedup(of: row, \.latencyPerSample)),
                          row.latencyPerBatch.map { NumberFormatting.fixed($0.seconds * 1e3, digits: 3) } ?? "-",
                          speed(comparison.speedup(of: row, \.latencyPerBatch)),
                          kernels]
            }
            return cells
        }
        // In a narrow terminal the kernels go first, then the per-sample latency and its ×
        // (the per-batch pair, where int8 and sparse kernels show their gain, stays): at 80
        // columns the timed table was 96 wide and wrapped every row.
        let perSample = titles.firstIndex(of: "µs/sample").map { [$0, $0 + 1] } ?? []
        let columns = titles.enumerated().map { index, title in
            title == "kernels" ? Table.Column(title, alignment: .left, overflow: .drop)
                : Table.Column(title, alignment: index == 0 ? .left : .right,
                               overflow: perSample.contains(index) ? .drop : .truncate)
        }
        let marked = comparison.rows.firstIndex(where: \.isBaseline)
        context.show(Table(columns: columns, rows: rows, markedRow: marked))
        if timed { context.print(kernelDescription(threads: context.workspace.pool.threadCount)) }
        if comparison.baselineName == nil {
            context.print("no baseline yet: train a model or choose one with 'model baseline N'")
        }
        if comparison.datasetName == nil {
            context.print("no data loaded: accuracy needs 'data load …'")
        }
    }
}
