/// The steps `cluster` shows: the centroids over the weight histogram, one weight's
/// assignment, the codebook, and the per-tensor table with the "≤ k unique values" check.
extension ClusteringReport {
    var title: String {
        "\(clusters)-way weight sharing (\(initialization.rawValue) k-means): \(source) → \(variant)"
    }

    var steps: [TechniqueStep] {
        let picture = self.picture
        var place = TechniqueStep(title: "Place the centroids over the weights of \(picture.parameter)")
        place.items.append(.histogram(TechniqueHistogram(
            counts: picture.counts, lower: Double(picture.low), upper: Double(picture.high),
            markers: picture.centroids.map(Double.init), markerLegend: "the \(picture.centroids.count) centroids after k-means",
            height: 5, axisDigits: 2)))
        place.items.append(.line("start (\(initialization.rawValue)): " + Self.list(picture.initialCentroids)))

        let e = example
        var assign = TechniqueStep(title: "Assign each weight to its nearest centroid")
        assign.items.append(.formula(Formula("w = \(e.parameter)[\(e.row), \(e.column)]", .value(Double(e.weight)))))
        for c in e.candidates {
            let value = Double(c.value)
            assign.items.append(.formula(Formula("|w − C\(c.index)|", terms: [.text("|"), .value(Double(e.weight)), .text(" − ")]
                + (value < 0 ? [.text("("), .value(value), .text(")")] : [.value(value)])
                + [.text("| = "), .value(Double(c.distance))])))
        }
        let readBack = picture.parameter == e.parameter ? picture.centroids[e.assigned] : e.candidates[0].value
        let bits = WeightClustering.indexBits(clusters)
        assign.items.append(.line("I = \(e.assigned): the weight is stored as the \(bits)-bit index \(e.assigned) "
                                  + "and reads back as C\(e.assigned) = \(fixed: Double(readBack))"))

        var codebook = TechniqueStep(title: "The codebook of \(picture.parameter)", isResult: true)
        codebook.items.append(.table(TechniqueTable(["k", "centroid C_k", "weights"], rows: picture.centroids.indices.map { k in
            [Phrase(String(k)), "\(fixed: Double(picture.centroids[k]))", "\(count: picture.memberCounts[k])"]
        })))

        var check = TechniqueStep(title: "Check and count every tensor")
        check.items.append(.table(TechniqueTable(
            ["tensor", "shared", "unique", "iters", "RMS error", "fp32 B", "shared B", "r"],
            rows: layers.map { l in
                [Phrase(l.name), "\(count: l.clustered)",
                 Phrase("\(l.uniqueValues) ≤ \(l.clusters) \(l.uniqueValues <= l.clusters ? "✓" : "✗")"),
                 Phrase(String(l.iterations) + (l.converged ? "" : "+")), "\(fixed: l.rootMeanSquareError)",
                 "\(count: l.denseBytes)", "\(count: l.clusteredBytes)", "\(fixed: l.compressionRate, digits: 2)×"]
            })))
        if let first = layers.first {
            check.items.append(.line("r = n·32 / (n·log₂k + k·32) = \(first.count)·32 / (\(first.count)·\(first.indexBits) + "
                                     + "\(first.clusters)·32) = \(fixed: first.compressionRate, digits: 2)  (\(first.name))", tone: .accent))
        }
        return [place, assign, codebook, check]
    }

    /// Up to eight values at 3 decimals, the middle ones elided.
    private static func list(_ values: [Float]) -> Phrase {
        let shown = values.count <= 8 ? values : Array(values.prefix(4)) + Array(values.suffix(3))
        var parts = shown.map { Phrase(.fixed(Double($0), digits: 3)) }
        if values.count > 8 { parts.insert("…", at: 4) }
        return Phrase.joined(parts, separator: " ")
    }
}
