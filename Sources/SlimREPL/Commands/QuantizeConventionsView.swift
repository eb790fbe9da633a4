import SlimLab

/// What `quantize conventions TENSOR` prints: one tensor under PyTorch's, TFLite's, affine and
/// ggml's int8 conventions, the same elements' integers side by side, and why they differ.
enum QuantizeConventionsView {
    static func run(tensor name: String, variant variantName: String? = nil, in context: CommandContext) throws {
        let variant = try context.workspace.variants.variant(named: variantName)
        let value = try variant.model.parameter(named: name).value
        let report = try ConventionsReport(name: name, tensor: value)
        let out = TechniqueRenderer(context: context)
        context.print("\(name) \(TensorFormatter.describe(shape: report.shape)) of \(variant.name): "
                      + "min \(context.fixed(Double(report.observedMin))), max \(context.fixed(Double(report.observedMax)))")

        let summary = Table(
            columns: [Table.Column("convention"), Table.Column("codes"), Table.Column("s ="),
                      Table.Column("s", alignment: .right), Table.Column("z", alignment: .right),
                      Table.Column("scales", alignment: .right), Table.Column("rounding"),
                      Table.Column("SQNR dB", alignment: .right), Table.Column("clipped", alignment: .right),
                      Table.Column("bytes", alignment: .right)],
            rows: report.rows.map { row in
                [row.convention.title, "\(row.integerRange.lowerBound)…\(row.integerRange.upperBound)",
                 row.convention.scaleRule, out.format(.significant(Double(row.scale), digits: 4)), String(row.zeroPoint),
                 String(row.scaleCount), row.convention.rounding, NumberFormatting.fixed(row.metrics.sqnrDecibels, digits: 1),
                 NumberFormatting.percent(row.metrics.clippedFraction, digits: 2), NumberFormatting.grouped(row.storedBytes)]
            })
        out.printIndented(summary.render(width: context.width - 2, style: context.style))
        for (convention, reason) in report.skipped { context.print("  \(convention.title): not applicable, \(reason)") }

        if report.rows.contains(where: { $0.scaleCount > 1 }) {
            context.print("  (ggml's s is block 0's d, one of its scales; every block of 32 has its own)")
        }
        context.print("the same elements, as integers:")
        var columns = [Table.Column("element"), Table.Column("x", alignment: .right)]
        columns += report.rows.map { Table.Column($0.convention.title, alignment: .right) }
        let rows = report.sampleIndices.enumerated().map { position, flat -> [String] in
            [elementName(name, flat: flat, shape: report.shape), context.fixed(Double(report.sampleValues[position]))]
                + report.rows.map { String($0.sampleCodes[position]) }
        }
        out.printIndented(Table(columns: columns, rows: rows).render(width: context.width - 2, style: context.style))
        context.print("why they differ:")
        for note in report.notes {
            context.print(lines: TextWrapping.wrap(note, width: max(40, context.width - 4), indent: "  "))
        }
    }

    /// `fc1.weight[3, 17]` for a flat index.
    static func elementName(_ name: String, flat: Int, shape: [Int]) -> String {
        var index: [Int] = []
        var rest = flat
        for dimension in shape.reversed() {
            index.insert(rest % max(1, dimension), at: 0)
            rest /= max(1, dimension)
        }
        return "\(name)[\(index.map(String.init).joined(separator: ", "))]"
    }
}
