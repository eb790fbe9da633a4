import SlimLab

/// `data show I [on=test|train]`: a digit drawn in blocks, or a feature row.
struct DataShowCommand: REPLCommand {
    static let index = Positional<Int>("I", in: 0...Int.max, summary: "the sample's index in the test part (or on=train)")
    static let part = Option<DatasetPart>("on", default: .test, summary: "which part of the data I indexes")

    static let configuration = CommandConfiguration(
        name: "show", summary: "draw a sample (images as blocks) with its label",
        arguments: [index, part], examples: ["data show 0", "data show 3 on=train"])

    let index: Int, part: DatasetPart
    init(arguments: ParsedArguments) throws {
        index = try arguments.value(Self.index)
        part = try arguments.value(Self.part)
    }

    func validate(in context: CommandContext) throws {
        _ = try context.requireData().sample(index, in: part)
    }

    /// Shades from light to dark, by the value's place in the data's range.
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

    func run(in context: CommandContext) throws {
        let data = try context.requireData()
        let sample = try data.sample(index, in: part)
        context.print("sample \(sample.index) of \(data.train.name) (\(part.rawValue)): class \(sample.className)")
        if let rows = sample.pixelRows {
            let low = sample.valueRange.lowerBound, span = max(sample.valueRange.upperBound - low, .leastNonzeroMagnitude)
            let width = rows.first?.count ?? 0
            context.print("┌" + String(repeating: "─", count: 2 * width) + "┐")
            for row in rows {
                let blocks = row.map { value -> String in
                    let level = min(Self.shades.count - 1, Int(((value - low) / span * Float(Self.shades.count)).rounded(.down)))
                    return String(repeating: Self.shades[max(0, level)], count: 2)
                }
                context.print("│" + blocks.joined() + "│")
            }
            context.print("└" + String(repeating: "─", count: 2 * width) + "┘")
        } else {
            let digits = context.precision
            let rows = sample.featureNames.indices.map { j in
                [sample.featureNames[j], NumberFormatting.fixed(sample.values[j], digits: digits),
                 NumberFormatting.fixed(sample.normalizedValues[j], digits: digits)]
            }
            context.print(Table(["feature", "value", "normalized"], rows: rows).render(width: context.width, style: context.style))
        }
    }
}
