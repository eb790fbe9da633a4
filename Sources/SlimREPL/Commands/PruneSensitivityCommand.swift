import SlimLab

/// `prune sensitivity [sparsities=0.1,0.3,0.5,0.7,0.9] [method=magnitude|structured] [from=VARIANT]`.
struct PruneSensitivityCommand: REPLCommand {
    static let sparsities = Option<[Double]>("sparsities", default: [0.1, 0.3, 0.5, 0.7, 0.9],
                                             summary: "the levels to try (ratios for method=structured)")
    static let method = Option<SensitivityMethod>("method", default: .magnitude,
                                                  summary: "magnitude: zero weights; structured: remove units (L2)")
    static let source = Option<String>.source("the variant to analyse")

    static let configuration = CommandConfiguration(
        name: "sensitivity", summary: "prune each layer alone at several levels and measure the accuracy",
        discussion: """
            Distiller's sensitivity analysis: every prunable layer is pruned by itself at each \
            level while the others stay as they are, and the test accuracy is measured. Layers \
            whose accuracy falls early are fragile: prune them less (or use scope=global, which \
            spares them by itself).
            """,
        arguments: [sparsities, method, source],
        examples: ["prune sensitivity", "prune sensitivity sparsities=0.5,0.8,0.9,0.95",
                   "prune sensitivity method=structured sparsities=0.25,0.5,0.75"])

    let levels: [Double]
    let method: SensitivityMethod
    let source: String?

    init(arguments: ParsedArguments) throws {
        levels = try arguments.value(Self.sparsities)
        method = try arguments.value(Self.method)
        source = try arguments.optionalValue(Self.source)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: source)
        for level in levels where !(level >= 0 && level < 1) {
            throw method == .magnitude ? PruningError.sparsityOutOfRange(level) : PruningError.ratioOutOfRange(level)
        }
    }

    func run(in context: CommandContext) throws {
        let analysis = try context.workspace.pruningSensitivity(source, levels: levels, method: method)
        let what = method == .magnitude ? "sparsity" : "ratio"
        context.print(context.style("sensitivity of \(analysis.variant) (\(method.rawValue) pruning, one layer at a time): test accuracy by \(what)", .bold))
        var rows: [[String]] = []
        for curve in analysis.curves {
            rows.append([curve.name, NumberFormatting.grouped(curve.parameters)]
                        + curve.accuracies.map { NumberFormatting.percent($0, digits: 1) })
        }
        let titles = ["layer", "params"] + analysis.levels.map { NumberFormatting.shortest($0) }
        context.print("baseline (nothing pruned): \(NumberFormatting.percent(analysis.baselineAccuracy))")
        context.print(Table(titles, rows: rows).render(width: context.width, style: context.style))
        // One small plot per layer: accuracy over the levels, on a common scale from the worst
        // accuracy seen to the baseline.
        let low = min(analysis.curves.flatMap(\.accuracies).min() ?? 0, analysis.baselineAccuracy)
        let high = max(analysis.curves.flatMap(\.accuracies).max() ?? 1, analysis.baselineAccuracy)
        context.print("accuracy by \(what) (\(analysis.levels.map { NumberFormatting.shortest($0) }.joined(separator: " → "))), from \(NumberFormatting.percent(low, digits: 1)) (▁) to \(NumberFormatting.percent(high, digits: 1)) (█):")
        let width = analysis.curves.map { DisplayWidth.of($0.name) }.max() ?? 0
        for curve in analysis.curves {
            let tolerable = analysis.tolerableLevel(of: curve).map { "within 1 point up to \(NumberFormatting.shortest($0))" }
                ?? "loses more than 1 point already at \(NumberFormatting.shortest(analysis.levels[0]))"
            context.print("  " + DisplayWidth.padRight(curve.name, to: width) + "  "
                          + Sparkline.render(curve.accuracies, range: low...high) + "  " + tolerable)
        }
    }
}
