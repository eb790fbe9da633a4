import SlimLab

/// How `cluster` prints its report: the centroids over the weight histogram, one weight's
/// assignment, the codebook, and the per-tensor table with the "≤ k unique values" check.
struct ClusteringReportRenderer {
    let context: CommandContext

    func render(_ report: ClusteringReport) throws {
        context.print(context.style("\(report.clusters)-way weight sharing (\(report.initialization.rawValue) k-means): \(report.source) → \(report.variant)", .bold))
        let steps = context.steps(4)
        let digits = max(4, context.precision)
        let picture = report.picture

        try steps.begin("Place the centroids over the weights of \(picture.parameter)")
        var chart = Histogram(counts: picture.counts, lowerBound: Double(picture.low), upperBound: Double(picture.high))
        chart.markers = picture.centroids.map(Double.init)
        chart.markerLegend = "the \(picture.centroids.count) centroids after k-means"
        indented(chart.render(height: 5, digits: 2, style: context.style))
        indented("start (\(report.initialization.rawValue)): " + list(picture.initialCentroids, digits: 3))

        try steps.begin("Assign each weight to its nearest centroid")
        let e = report.example
        let where_ = "\(e.parameter)[\(e.row), \(e.column)]"
        var lines = ["w = \(where_) = \(NumberFormatting.fixed(e.weight, digits: digits))"]
        for c in e.candidates {
            let value = NumberFormatting.fixed(c.value, digits: digits)
            lines.append("|w − C\(c.index)| = |\(NumberFormatting.fixed(e.weight, digits: digits)) − \(c.value < 0 ? "(\(value))" : value)| = \(NumberFormatting.fixed(c.distance, digits: digits))")
        }
        indented(lines.map { context.style($0, .accent) }.joined(separator: "\n"))
        indented("I = \(e.assigned): the weight is stored as the \(WeightClustering.indexBits(report.clusters))-bit index \(e.assigned) and reads back as C\(e.assigned) = \(NumberFormatting.fixed(picture.parameter == e.parameter ? picture.centroids[e.assigned] : e.candidates[0].value, digits: digits))")

        try steps.begin("The codebook of \(picture.parameter)")
        let rows = picture.centroids.indices.map { k in
            [String(k), NumberFormatting.fixed(picture.centroids[k], digits: digits), NumberFormatting.grouped(picture.memberCounts[k])]
        }
        indented(Table(["k", "centroid C_k", "weights"], rows: rows).render(width: context.width - 2, style: context.style))

        try steps.begin("Check and count every tensor")
        let tensorRows = report.layers.map { l in
            [l.name, NumberFormatting.grouped(l.clustered), "\(l.uniqueValues) ≤ \(l.clusters) \(l.uniqueValues <= l.clusters ? "✓" : "✗")",
             String(l.iterations) + (l.converged ? "" : "+"), NumberFormatting.fixed(l.rootMeanSquareError, digits: digits),
             NumberFormatting.grouped(l.denseBytes), NumberFormatting.grouped(l.clusteredBytes),
             NumberFormatting.fixed(l.compressionRate, digits: 2) + "×"]
        }
        indented(Table(["tensor", "shared", "unique", "iters", "RMS error", "fp32 B", "shared B", "r"], rows: tensorRows)
            .render(width: context.width - 2, style: context.style))
        if let first = report.layers.first {
            indented(context.style("r = n·32 / (n·log₂k + k·32) = \(first.count)·32 / (\(first.count)·\(first.indexBits) + \(first.clusters)·32) = \(NumberFormatting.fixed(first.compressionRate, digits: 2))  (\(first.name))", .accent))
        }
        var summary = "made \(report.variant): every tensor holds ≤ \(report.clusters) distinct values"
        if let before = report.accuracyBefore, let after = report.accuracyAfter {
            summary += "; " + PruneReportRenderer(context: context).accuracyLine(before: before, after: after)
        }
        context.print(summary + "; " + TechniqueSummaryLines.currentNote(report.variant, in: context))
    }

    private func list(_ values: [Float], digits: Int) -> String {
        let shown = values.count <= 8 ? values : Array(values.prefix(4)) + Array(values.suffix(3))
        var parts = shown.map { NumberFormatting.fixed($0, digits: digits) }
        if values.count > 8 { parts.insert("…", at: 4) }
        return parts.joined(separator: " ")
    }

    private func indented(_ text: String) {
        context.print(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 })
    }
}
