import SlimKernels
import SlimLab

/// How the pruning commands print their reports: numbered steps (pausing between them on a
/// terminal with `set pause=on`), formulas set apart, tensors and histograms before and after,
/// tables. SlimLab builds the report; this only formats it.
struct PruneReportRenderer {
    let context: CommandContext

    /// Prints every step of `report` under `Step i/n · title` headers.
    func render(_ report: PruningReport) throws {
        let steps = context.steps(report.steps.count)
        for step in report.steps {
            try steps.begin(step.title)
            for item in step.items { render(item) }
        }
    }

    /// Prints one item, indented under its step.
    func render(_ item: PruningReportItem) {
        switch item {
        case .note(let text):
            printIndented(TextWrapping.wrap(text, width: max(20, context.width - 2)).joined(separator: "\n"))
        case .formula(let formula):
            printIndented(context.style(formula.rendered(digits: 4), .accent))
        case .definition(let text):
            printIndented(context.style(text, .accent))
        case .excerpt(let before, let after):
            printIndented(excerpt(before: before, after: after))
        case .histogram(let name, let before, let after, let zeros, let threshold):
            printIndented(histograms(name: name, before: before, after: after, zeros: zeros, threshold: threshold))
        case .layers(let before, let after):
            printIndented(layerTable(before: before, after: after))
        case .ranking(let ranking):
            printIndented(rankingTable(ranking))
        case .shapes(let changes):
            printIndented(changes.map { "\($0.name): \(shape($0.before)) → \(shape($0.after))" }.joined(separator: "\n"))
        case .schedule(let schedule):
            printIndented(scheduleTable(schedule))
        case .storage(let decisions):
            printIndented(storageTable(decisions))
        case .accuracy(let before, let after):
            printIndented(accuracyLine(before: before, after: after))
        case .training(let pruned, let epochs, let loss, let accuracy):
            var text = ""
            if let pruned { text += "pruned: test accuracy \(NumberFormatting.percent(pruned)); " }
            text += "fine-tuned \(epochs) epoch\(epochs == 1 ? "" : "s"): loss \(context.fixed(loss))"
            if let accuracy { text += ", test accuracy \(NumberFormatting.percent(accuracy))" }
            printIndented(text)
        }
    }

    // MARK: Pieces

    func accuracyLine(before: Double, after: Double) -> String {
        let delta = (after - before) * 100
        let sign = delta > 0.005 ? "+" : ""
        let text = "test accuracy \(NumberFormatting.percent(before)) → \(NumberFormatting.percent(after)) (\(sign)\(NumberFormatting.fixed(delta, digits: 2)) points)"
        return context.style(text, delta < -1 ? .warning : .good)
    }

    func layerTable(before: [LayerSparsity]?, after: [LayerSparsity]) -> String {
        let digits = context.precision
        func row(_ r: LayerSparsity, wasSparsity: Double?) -> [String] {
            var cells = [r.name, shape(r.shape), NumberFormatting.grouped(r.parameters), NumberFormatting.grouped(r.zeros)]
            if let wasSparsity { cells.append(NumberFormatting.percent(wasSparsity)) }
            cells += [NumberFormatting.percent(r.sparsity), NumberFormatting.fixed(r.l1, digits: digits),
                      NumberFormatting.fixed(r.l2, digits: digits)]
            return cells
        }
        let total = LayerSparsity.total(of: after)
        var titles = ["tensor", "shape", "params", "zeros"]
        if before != nil { titles.append("sparsity before") }
        titles += [before == nil ? "sparsity" : "after", "L1 Σ|w|", "L2 √Σw²"]
        var rows: [[String]] = []
        for (index, r) in after.enumerated() {
            let was = before.map { list in list.first { $0.name == r.name }?.sparsity ?? (index < list.count ? list[index].sparsity : 0) }
            rows.append(row(r, wasSparsity: was))
        }
        if after.count > 1 {
            var t = row(total, wasSparsity: before.map { LayerSparsity.total(of: $0).sparsity })
            t[0] = "all"
            t[1] = ""
            rows.append(t)
        }
        return Table(titles, rows: rows).render(width: context.width - 2, style: context.style)
    }

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
        var lines = ["\(before.name) \(shape(before.shape)), rows \(range(before.rows)), columns \(range(before.columns))"]
        lines.append(DisplayWidth.padRight("before", to: column) + "   after")
        for (l, r) in zip(leftLines, rightLines) {
            lines.append(DisplayWidth.padRight(l, to: column) + "   " + highlightZeros(r))
        }
        if moreRows { lines.append("…") }
        return lines.joined(separator: "\n")
    }

    private func highlightZeros(_ line: String) -> String {
        guard context.usesColor else { return line }
        return line.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0 == "0" ? context.style("0", .dim) : String($0) }.joined(separator: " ")
    }

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
        let digits = 2
        let titleBefore = "\(name) before: all \(NumberFormatting.grouped(before.total)) weights"
        let titleAfter = "\(name) after: the \(NumberFormatting.grouped(after.total)) kept weights (\(NumberFormatting.grouped(zeros)) zeros not drawn)"
        if let lines = Histogram.sideBySide([(titleBefore, chartBefore.render(height: 5, digits: digits, style: context.style)),
                                             (titleAfter, chartAfter.render(height: 5, digits: digits, style: context.style))],
                                            width: context.width - 2) {
            return lines.joined(separator: "\n")
        }
        return [
            "\(name) before: all \(NumberFormatting.grouped(before.total)) weights",
            chartBefore.render(height: 5, digits: digits, style: context.style),
            "\(name) after: the \(NumberFormatting.grouped(after.total)) kept weights (\(NumberFormatting.grouped(zeros)) zeros not drawn)",
            chartAfter.render(height: 5, digits: digits, style: context.style),
        ].joined(separator: "\n")
    }

    func rankingTable(_ ranking: UnitRanking) -> String {
        let unitWord = ranking.shape.count == 4 ? "filter" : "neuron"
        let entries = ranking.entries
        let removed = ranking.removed.count
        // The weakest few, the ones around the cut, and the strongest few.
        var shown = Set<Int>()
        for i in 0..<min(3, entries.count) { shown.insert(i) }
        for i in max(0, removed - 2)..<min(entries.count, removed + 2) { shown.insert(i) }
        for i in max(0, entries.count - 2)..<entries.count { shown.insert(i) }
        var rows: [[String]] = []
        var last = -1
        for i in shown.sorted() {
            if i != last + 1 { rows.append(["…", "", "", ""]) }
            let e = entries[i]
            rows.append([String(i + 1), "\(unitWord) \(e.unit)", NumberFormatting.fixed(e.norm, digits: context.precision),
                         e.kept ? "kept" : "removed"])
            last = i
        }
        let norm = ranking.norm == .l1 ? "L1 norm" : "L2 norm"
        return "\(ranking.layer): \(entries.count) \(unitWord)s ranked by \(norm), weakest first; \(removed) removed\n"
            + Table(["rank", unitWord, norm, ""], rows: rows).render(width: context.width - 2, style: context.style)
    }

    func scheduleTable(_ schedule: SparsitySchedule) -> String {
        let rows = schedule.steps.map { step in
            [String(step.index), String(step.time), NumberFormatting.fixed(step.sparsity, digits: 4),
             NumberFormatting.percent(step.sparsity)]
        }
        let time = schedule.epochsPerStep > 0 ? "t (epochs)" : "t (steps)"
        let curve = Sparkline.render([schedule.initial] + schedule.steps.map(\.sparsity), range: 0...1)
        return Table(["step j", time, "s_t", "sparsity"], rows: rows).render(width: context.width - 2, style: context.style)
            + "\nsparsity by step: \(NumberFormatting.fixed(schedule.initial, digits: 2)) \(curve) \(NumberFormatting.fixed(schedule.final, digits: 2))"
    }

    func storageTable(_ decisions: [SparseLayerDecision]) -> String {
        let rows = decisions.map { d in
            [d.name, shape(d.shape), NumberFormatting.percent(d.density), NumberFormatting.grouped(d.denseBytes),
             NumberFormatting.grouped(d.csrBytes), d.storedAsCSR ? "CSR" : "dense"]
        }
        return Table(["tensor", "shape", "kept", "dense bytes", "CSR bytes", "stored as"], rows: rows)
            .render(width: context.width - 2, style: context.style)
    }

    // MARK: Helpers

    func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    private func range(_ r: Range<Int>) -> String { r.count == 1 ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound - 1)" }

    private func printIndented(_ text: String) {
        context.print(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 })
    }
}
