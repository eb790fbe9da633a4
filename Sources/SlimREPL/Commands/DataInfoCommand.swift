import SlimLab

/// `data info`: counts per part and class, and feature ranges.
struct DataInfoCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "info", summary: "counts per split and class, and the ranges of the features",
        examples: ["data info"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let summary = try context.requireData().summary
        let shape = summary.sampleShape.map(String.init).joined(separator: "×")
        let hasValidation = summary.validationCount > 0
        var split = "\(NumberFormatting.grouped(summary.trainCount)) train / "
            + (hasValidation ? "\(NumberFormatting.grouped(summary.validationCount)) val / " : "")
            + "\(NumberFormatting.grouped(summary.testCount)) test"
        if let fraction = summary.testFraction, let seed = summary.seed {
            split += " (test=\(NumberFormatting.shortest(fraction)), seed \(seed))"
        } else if summary.testFraction == nil, let seed = summary.seed {
            split += " (official test set, seed \(seed))"
        }
        context.print("\(summary.name): \(NumberFormatting.grouped(summary.count)) samples of \(shape) "
                      + "(\(summary.featureCount) features), \(summary.classes.count) classes · \(split) · normalize=\(summary.normalization.rawValue)")
        let classRows = summary.classes.map { c in
            [c.name, NumberFormatting.grouped(c.train)] + (hasValidation ? [NumberFormatting.grouped(c.validation)] : [])
                + [NumberFormatting.grouped(c.test), NumberFormatting.grouped(c.total)]
        }
        let titles = ["class", "train"] + (hasValidation ? ["val"] : []) + ["test", "total"]
        context.print(Table(titles, rows: classRows).render(width: context.width, style: context.style))
        let digits = context.precision
        let features = summary.features
        // Many features (an image's pixels): the first and last few, as NumPy elides.
        let shown = features.count <= 12 ? Array(features.indices) : Array(0..<5) + Array((features.count - 5)..<features.count)
        var featureRows: [[String]] = []
        for (position, index) in shown.enumerated() {
            if position > 0 && index != shown[position - 1] + 1 { featureRows.append(["…", "", "", "", ""]) }
            let f = features[index]
            featureRows.append([f.name, NumberFormatting.fixed(f.min, digits: digits), NumberFormatting.fixed(f.max, digits: digits),
                                NumberFormatting.fixed(f.mean, digits: digits),
                                NumberFormatting.fixed(f.normalizedMin, digits: digits) + " … " + NumberFormatting.fixed(f.normalizedMax, digits: digits)])
        }
        context.print(Table(columns: [Table.Column("feature"), Table.Column("min", alignment: .right), Table.Column("max", alignment: .right),
                                      Table.Column("mean", alignment: .right), Table.Column("normalized (train)", alignment: .right)],
                            rows: featureRows).render(width: context.width, style: context.style))
        if !summary.constantFeatures.isEmpty {
            let names = summary.constantFeatures
            let list = names.count > 8 ? names.prefix(8).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
            context.print("constant on the training part (scaled by 1): \(names.count) feature\(names.count == 1 ? "" : "s") — \(list)")
        }
    }
}
