import SlimLab

/// `search budget=20KiB|phone|edge|cloud [max-drop=1.0] [over=sparsity,bits] [strategy=greedy|fallback]
/// [finetune=3] [from=N] [as=N]`.
struct SearchCommand: REPLCommand {
    static let budget = Option<String>("budget", required: true, placeholder: "BYTES|phone|edge|cloud",
                                       summary: "the size allowed: 20000, 20KiB, 1.5MiB, or a preset (fp32 size / 2, 4, 8)")
    static let maxDrop = Option<Double>("max-drop", default: 1.0, in: 0.0...100.0,
                                        summary: "validation accuracy the search may lose, in points")
    static let over = Option<[SearchOptions.Dimension]>("over", default: SearchOptions.Dimension.allCases,
                                                        summary: "what to change per layer")
    static let strategy = Option<SearchOptions.Strategy>("strategy", default: .greedy,
                                                         summary: "greedy: compress step by step from fp32; fallback: relax from the most compressed")
    static let finetune = Option<Int>("finetune", default: 3, in: 0...100,
                                      summary: "most epochs of fine-tuning when the result misses max-drop (0: never)")
    static let source = Option.source("the trained float model to compress")
    static let name = Option.newVariant("SOURCE-search")

    static let configuration = CommandConfiguration(
        name: "search", topic: .compression, summary: "choose per-layer sparsity and bits to fit a size budget",
        discussion: """
            A deterministic, accuracy-aware search judged on a validation set held out from the \
            training data (never the test set): the data's validation part ('data load … val=0.1'), \
            or else its own 20% of the training split. Each round it measures every layer's next \
            compression step (more sparsity, fewer bits) on the validation set and takes the one \
            that adds the least validation loss per byte saved, keeping accuracy within max-drop \
            while it can, until the budget is met; then it gives \
            back steps that help while the budget allows. A result that meets the budget but \
            misses max-drop is fine-tuned (masks kept, weights on the recipe's grids) on the \
            training rows, epoch by epoch, until it is within max-drop. Beside the result it shows \
            the uniform recipe (one setting for every layer) that fits the same budget, fine-tuned \
            as long. Quantized layers use per-channel scales of the least squared error. Presets: \
            cloud = fp32 size / 2, phone = / 4, edge = / 8 (sizes only; no latency is budgeted).
            """,
        arguments: [budget, maxDrop, over, strategy, finetune, source, name],
        examples: ["search budget=phone", "search budget=4KiB max-drop=0.5 over=bits", "search budget=edge strategy=fallback as=tiny"])

    let budgetValue: SearchOptions.Budget
    let options: SearchOptions
    let source: String?
    let name: String?

    init(arguments: ParsedArguments) throws {
        let text = try arguments.value(Self.budget)
        budgetValue = try Self.parseBudget(text)
        options = SearchOptions(budget: budgetValue, maxDrop: try arguments.value(Self.maxDrop),
                                dimensions: try arguments.value(Self.over), strategy: try arguments.value(Self.strategy),
                                fineTuneEpochs: try arguments.value(Self.finetune))
        source = try arguments.optionalValue(Self.source)
        name = try arguments.optionalValue(Self.name)
    }

    /// `20000`, `20KiB`, `20KB` (taken as KiB), `1.5MiB`, `phone`.
    static func parseBudget(_ text: String) throws -> SearchOptions.Budget {
        if let preset = BudgetPreset(rawValue: text.lowercased()) { return .preset(preset) }
        let lower = text.lowercased()
        let units: [(String, Double)] = [("kib", 1024), ("kb", 1024), ("k", 1024), ("mib", 1_048_576), ("mb", 1_048_576),
                                         ("b", 1)]
        var number = lower, factor = 1.0
        for (suffix, value) in units where lower.hasSuffix(suffix) {
            number = String(lower.dropLast(suffix.count))
            factor = value
            break
        }
        guard let value = Double(number), value.isFinite, value > 0, value * factor < 1e12 else {
            throw SearchError.badBudget(text)
        }
        return .bytes(Int((value * factor).rounded()))
    }

    func validate(in context: CommandContext) throws {
        _ = try context.workspace.variants.variant(named: source)
    }

    func run(in context: CommandContext) throws {
        let report = try context.workspace.search(source, options: options, name: name)
        SearchReportRenderer(context: context).render(report)
    }
}

extension SearchOptions.Dimension: ArgumentValue {}
extension SearchOptions.Strategy: ArgumentValue {}
