import SlimLab

/// How `compress deep` prints its report: the three stages with their bytes, the rate formula
/// on the largest layer, and the per-layer table beside the paper's LeNet-300-100.
struct DeepCompressionRenderer {
    let context: CommandContext

    func render(_ report: DeepCompressionReport) throws {
        let o = report.options
        context.print(context.style("Deep Compression: \(report.source) → \(report.variant)", .bold))
        let steps = context.steps(4)
        let stages = report.stages
        let accuracy = PruneReportRenderer(context: context)

        try steps.begin("Prune \(NumberFormatting.percent(o.sparsity, digits: 0)) of the weights, fine-tune \(o.pruneEpochs) epoch\(o.pruneEpochs == 1 ? "" : "s") with the masks")
        indented(stageLines(stages[0], before: report.baselineAccuracy))

        try steps.begin("Share \(o.clusters) values per layer (\(o.initialization.rawValue) k-means), fine-tune the centroids \(o.clusterEpochs) epoch\(o.clusterEpochs == 1 ? "" : "s")")
        indented(stageLines(stages[1], before: nil))
        if let largest = report.layers.max(by: { $0.count < $1.count }) {
            let r = Double(largest.kept * 32) / Double(largest.kept * WeightClustering.indexBits(largest.clusters) + largest.clusters * 32)
            indented(context.style("r = n·b / (n·log₂k + k·b) = \(largest.kept)·32 / (\(largest.kept)·\(WeightClustering.indexBits(largest.clusters)) + \(largest.clusters)·32) = \(NumberFormatting.fixed(r, digits: 2))  (\(largest.name), kept weights)", .accent))
        }

        try steps.begin("Huffman-code the weight indices and the gaps")
        indented(stageLines(stages[2], before: nil))
        if let path = report.path, let size = report.sizeOnDisk {
            indented("wrote \(path): \(NumberFormatting.grouped(size)) bytes on disk, \(size == report.fileBytes ? "=" : "≠") \(NumberFormatting.grouped(report.fileBytes)) bytes reported")
        }
        if let reloaded = report.reloadedAccuracy {
            indented("read back from the \(report.path == nil ? "encoded bytes" : "file"): test accuracy \(NumberFormatting.percent(reloaded))")
        }
        indented("\(report.variant) keeps these tensors: \(NumberFormatting.grouped(report.variantBytes)) bytes in 'compare', "
                 + "the file less its header and the tensors' names and counts (\(NumberFormatting.grouped(report.fileBytes - report.variantBytes)) bytes)")

        try steps.begin("Per layer, beside the paper (P pruning, Q sharing, H Huffman)")
        indented(table(report))
        var line = "\(NumberFormatting.grouped(report.baselineBytes)) B → \(NumberFormatting.grouped(report.fileBytes)) B: \(NumberFormatting.fixed(report.compressionRatio, digits: 1))× smaller"
        if let before = report.baselineAccuracy, let after = report.reloadedAccuracy {
            line += "; " + accuracy.accuracyLine(before: before, after: after)
        }
        context.print(line + "; " + TechniqueSummaryLines.made(report.variant, in: context))
    }

    private func stageLines(_ stage: DeepCompressionStage, before: Double?) -> String {
        var parts: [String] = []
        if let before { parts.append(NumberFormatting.percent(before)) }
        if let a = stage.accuracy { parts.append(NumberFormatting.percent(a)) }
        if let t = stage.tunedAccuracy { parts.append("\(NumberFormatting.percent(t)) fine-tuned") }
        return [context.style(stage.formula.rendered(digits: 4), .accent),
                "test accuracy " + parts.joined(separator: " → ")].joined(separator: "\n")
    }

    private func table(_ report: DeepCompressionReport) -> String {
        let layers = report.layers
        var rows = layers.map { l in
            [l.name, NumberFormatting.grouped(l.count), NumberFormatting.percent(l.keptFraction, digits: 1),
             String(l.weightBits), NumberFormatting.fixed(l.huffmanWeightBits, digits: 1),
             String(l.indexBits), NumberFormatting.fixed(l.huffmanIndexBits, digits: 1),
             NumberFormatting.percent(l.quantizedRate, digits: 1), NumberFormatting.percent(l.fileRate, digits: 2)]
        }
        let n = layers.reduce(0) { $0 + $1.count }, kept = layers.reduce(0) { $0 + $1.kept }
        let entries = Double(max(1, layers.reduce(0) { $0 + $1.entries }))
        func mean(_ f: (DeepCompressionLayer) -> Double) -> Double { layers.reduce(0) { $0 + f($1) * Double($1.entries) } / entries }
        let quantized = layers.reduce(0) { $0 + $1.quantizedBytes }
        rows.append(["all", NumberFormatting.grouped(n), NumberFormatting.percent(Double(kept) / Double(max(1, n)), digits: 1),
                     NumberFormatting.fixed(mean { Double($0.weightBits) }, digits: 1), NumberFormatting.fixed(mean(\.huffmanWeightBits), digits: 1),
                     NumberFormatting.fixed(mean { Double($0.indexBits) }, digits: 1), NumberFormatting.fixed(mean(\.huffmanIndexBits), digits: 1),
                     NumberFormatting.percent(Double(quantized) / Double(4 * max(1, n)), digits: 1),
                     NumberFormatting.percent(Double(report.fileBytes) / Double(report.baselineBytes), digits: 2)])
        let p = DeepCompressionReport.paperLeNet300
        rows.append(["paper", "266K", NumberFormatting.percent(p.kept, digits: 1), NumberFormatting.fixed(p.weightBits, digits: 0),
                     NumberFormatting.fixed(p.huffmanWeightBits, digits: 1), NumberFormatting.fixed(p.indexBits, digits: 0),
                     NumberFormatting.fixed(p.huffmanIndexBits, digits: 1), NumberFormatting.percent(p.rate, digits: 1),
                     NumberFormatting.percent(p.huffmanRate, digits: 2)])
        let text = Table(["layer", "weights", "kept", "w bits", "+H", "i bits", "+H", "rate", "+H"], rows: rows)
            .render(width: context.width - 2, style: context.style)
        return text + "\n" + "'all' +H is the whole file (biases, tables, header: \(NumberFormatting.grouped(report.otherBytes)) B of it) over all fp32 bytes; "
            + "paper: LeNet-300-100 on MNIST, 1070 KB → 27 KB (40×), error \(NumberFormatting.percent(p.errorBefore)) → \(NumberFormatting.percent(p.errorAfter))"
    }

    private func indented(_ text: String) {
        let wrapped = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            DisplayWidth.of(String(line)) > context.width - 2 && !line.contains("│") && !line.contains("─")
                ? TextWrapping.wrap(String(line), width: max(20, context.width - 2)) : [String(line)]
        }
        context.print(lines: wrapped.map { $0.isEmpty ? "" : "  " + $0 })
    }
}
