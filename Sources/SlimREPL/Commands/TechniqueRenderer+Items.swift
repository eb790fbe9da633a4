import SlimLab

/// The items of a technique's steps, each drawn indented two columns under its step.
extension TechniqueRenderer {
    func render(_ item: TechniqueItem) {
        switch item {
        case .paragraph(let phrase, let tone):
            let lines = TextWrapping.wrap(text(phrase), width: max(20, context.width - 2))
            printIndented(lines.map { style($0, tone) }.joined(separator: "\n"))
        case .line(let phrase, let tone):
            printIndented(style(text(phrase), tone))
        case .formula(let formula):
            printIndented(context.style(formula.rendered(digits: context.precision), .accent))
        case .derivation(let formula):
            context.show(FormulaBlock(formula, digits: context.precision, frame: .indented))
        case .rule(let rule):
            printIndented(context.style(rule, .accent))
        case .rules(let title, let lines):
            context.show(FormulaBlock(title: title, lines: lines))
        case .table(let table):
            printIndented(render(table))
        case .excerpt(let before, let after):
            printIndented(excerpt(before: before, after: after))
        case .histogramPair(let name, let before, let after, let zeros, let threshold):
            printIndented(histograms(name: name, before: before, after: after, zeros: zeros, threshold: threshold))
        case .histogram(let histogram):
            printIndented(render(histogram))
        case .bars(let bars):
            printIndented(render(bars))
        case .curve(let curve):
            printIndented(render(curve))
        }
    }

    func render(_ table: TechniqueTable) -> String {
        let columns = table.columns.map { column -> Table.Column in
            let overflow: Table.Overflow = switch column.overflow {
            case .shorten: .truncate
            case .wrap: .wrap
            case .drop: .drop
            }
            return Table.Column(column.title, alignment: column.alignment.map { $0 == .left ? .left : .right }, overflow: overflow)
        }
        let rows = table.rows.map { $0.map(text) }
        return Table(columns: columns, rows: rows, markedRow: table.markedRow).render(width: context.width - 2, style: context.style)
    }

    func render(_ histogram: TechniqueHistogram) -> String {
        var chart = Histogram(counts: histogram.counts, lowerBound: histogram.lower, upperBound: histogram.upper)
        chart.markers = histogram.markers
        chart.markerLegend = histogram.markerLegend
        var lines = histogram.title.map { [text($0)] } ?? []
        lines.append(chart.render(height: histogram.height, digits: histogram.axisDigits ?? context.precision, style: context.style))
        if let caption = histogram.caption { lines.append(text(caption)) }
        return lines.joined(separator: "\n")
    }

    func render(_ bars: TechniqueBars) -> String {
        let chart = BarChart(bars: bars.bars.map { BarChart.Bar($0.label, $0.value, valueText: format($0.text)) },
                             maximum: bars.maximum, markedBar: bars.marked)
        let labels = chart.bars.map { DisplayWidth.of($0.label) }.max() ?? 0
        let values = chart.bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let gutter = chart.markedBar == nil ? 0 : 2
        return chart.render(barWidth: max(10, min(40, context.width - labels - values - gutter - 8)), style: context.style)
    }

    func render(_ curve: TechniqueCurve) -> String {
        let start = format(curve.start), end = format(curve.end)
        let room = context.width - 2 - DisplayWidth.of(curve.label) - DisplayWidth.of(start) - DisplayWidth.of(end) - 2
        return curve.label + start + " " + Sparkline.render(curve.values, range: curve.range, maxWidth: max(12, min(48, room)))
            + " " + end
    }

    // MARK: Tensors and distributions

    /// The same window of a tensor before and after: side by side when the width allows, else
    /// one above the other.
    func excerpt(before: TensorExcerpt, after: TensorExcerpt) -> String {
        let digits = min(context.precision, 3)
        func cells(_ e: TensorExcerpt) -> [[String]] {
            e.values.map { row in row.map { $0 == 0 ? "0" : NumberFormatting.fixed($0, digits: digits) } }
        }
        let left = cells(before), right = cells(after)
        let width = (left + right).flatMap { $0 }.map { DisplayWidth.of($0) }.max() ?? 1
        func line(_ row: [String], more: Bool) -> String {
            row.map { DisplayWidth.padLeft($0, to: width) }.joined(separator: " ") + (more ? " …" : "")
        }
        let moreColumns = before.columns.upperBound < before.totalColumns
        let moreRows = before.rows.upperBound < before.totalRows
        let leftLines = left.map { line($0, more: moreColumns) }
        let rightLines = right.map { line($0, more: moreColumns) }
        let column = max(DisplayWidth.of("before"), leftLines.map { DisplayWidth.of($0) }.max() ?? 0)
        var lines = ["\(before.name) \(TensorFormatter.describe(shape: before.shape)), rows \(range(before.rows)), columns \(range(before.columns))"]
        let sideBySide = column + 3 + (rightLines.map { DisplayWidth.of($0) }.max() ?? 0) <= context.width - 2
        if sideBySide {
            lines.append(DisplayWidth.padRight("before", to: column) + "   after")
            for (l, r) in zip(leftLines, rightLines) {
                lines.append(DisplayWidth.padRight(l, to: column) + "   " + highlightZeros(r))
            }
            if moreRows { lines.append("…") }
        } else {
            lines += ["before"] + leftLines + (moreRows ? ["…"] : [])
            lines += ["after"] + rightLines.map(highlightZeros) + (moreRows ? ["…"] : [])
        }
        return lines.joined(separator: "\n")
    }

    private func highlightZeros(_ line: String) -> String {
        guard context.usesColor else { return line }
        return line.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0 == "0" ? context.style("0", .dim) : String($0) }.joined(separator: " ")
    }

    private func range(_ r: Range<Int>) -> String { r.count == 1 ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound - 1)" }

    /// A tensor's values before and after pruning: side by side when the width allows, else
    /// one above the other.
    func histograms(name: String, before: ValueHistogram, after: ValueHistogram, zeros: Int, threshold: Float?) -> String {
        var chartBefore = Histogram(counts: before.counts, lowerBound: Double(before.lower), upperBound: Double(before.upper))
        var chartAfter = Histogram(counts: after.counts, lowerBound: Double(after.lower), upperBound: Double(after.upper))
        if let threshold {
            let markers = [-Double(threshold), Double(threshold)]
            chartBefore.markers = markers
            chartAfter.markers = markers
            chartBefore.markerLegend = "±τ = \(NumberFormatting.fixed(Double(threshold), digits: max(4, context.precision)))"
            chartAfter.markerLegend = chartBefore.markerLegend
        }
        let titleBefore = "\(name) before: all \(NumberFormatting.grouped(before.total)) weights"
        let titleAfter = "\(name) after: the \(NumberFormatting.grouped(after.total)) kept weights (\(NumberFormatting.grouped(zeros)) zeros not drawn)"
        let drawnBefore = chartBefore.render(height: 5, digits: 2, style: context.style)
        let drawnAfter = chartAfter.render(height: 5, digits: 2, style: context.style)
        if let lines = Histogram.sideBySide([(titleBefore, drawnBefore), (titleAfter, drawnAfter)], width: context.width - 2) {
            return lines.joined(separator: "\n")
        }
        return [titleBefore, drawnBefore, titleAfter, drawnAfter].joined(separator: "\n")
    }
}
