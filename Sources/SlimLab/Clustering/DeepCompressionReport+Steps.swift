/// The steps `compress deep` shows: the three stages with their bytes, the rate formula on the
/// largest layer, and the per-layer table beside the paper's LeNet-300-100.
extension DeepCompressionReport {
    var title: String { "Deep Compression: \(source) → \(variant)" }

    var steps: [TechniqueStep] {
        let o = options
        var prune = TechniqueStep(title: "Prune \(Int((o.sparsity * 100).rounded()))% of the weights, "
                                  + "fine-tune \(o.pruneEpochs) epoch\(o.pruneEpochs == 1 ? "" : "s") with the masks")
        prune.items += Self.stageItems(stages[0], before: baselineAccuracy)

        var share = TechniqueStep(title: "Share \(o.clusters) values per layer (\(o.initialization.rawValue) k-means), "
                                  + "fine-tune the centroids \(o.clusterEpochs) epoch\(o.clusterEpochs == 1 ? "" : "s")")
        share.items += Self.stageItems(stages[1], before: nil)
        if let largest = layers.max(by: { $0.count < $1.count }) {
            let bits = WeightClustering.indexBits(largest.clusters)
            let r = Double(largest.kept * 32) / Double(largest.kept * bits + largest.clusters * 32)
            share.items.append(.line("r = n·b / (n·log₂k + k·b) = \(largest.kept)·32 / (\(largest.kept)·\(bits) + \(largest.clusters)·32) "
                                     + "= \(fixed: r, digits: 2)  (\(largest.name), kept weights)", tone: .accent))
        }

        var huffman = TechniqueStep(title: "Huffman-code the weight indices and the gaps")
        huffman.items += Self.stageItems(stages[2], before: nil)
        if let path, let sizeOnDisk {
            huffman.items.append(.paragraph("wrote \(path): \(count: sizeOnDisk) bytes on disk, "
                                            + "\(sizeOnDisk == fileBytes ? "=" : "≠") \(count: fileBytes) bytes reported"))
        }
        if let reloadedAccuracy {
            huffman.items.append(.paragraph("read back from the \(path == nil ? "encoded bytes" : "file"): test accuracy \(percent: reloadedAccuracy)"))
        }
        huffman.items.append(.paragraph("\(variant) keeps these tensors: \(count: variantBytes) bytes in 'compare', the file less its "
                                        + "header and the tensors' names and counts (\(count: fileBytes - variantBytes) bytes)"))

        var table = TechniqueStep(title: "Per layer, beside the paper (P pruning, Q sharing, H Huffman)", isResult: true)
        table.items.append(.table(layerTable))
        let p = Self.paperLeNet300
        table.items.append(.paragraph("'all' +H is the whole file (biases, tables, header: \(count: otherBytes) B of it) over all "
                                      + "fp32 bytes; paper: LeNet-300-100 on MNIST, 1070 KB → 27 KB (40×), "
                                      + "error \(percent: p.errorBefore) → \(percent: p.errorAfter)"))
        return [prune, share, huffman, table]
    }

    /// `bytes = formula = N` and the test accuracy through the stage (and its fine-tuning).
    private static func stageItems(_ stage: DeepCompressionStage, before: Double?) -> [TechniqueItem] {
        var parts: [Phrase] = []
        if let before { parts.append("\(percent: before)") }
        if let a = stage.accuracy { parts.append("\(percent: a)") }
        if let t = stage.tunedAccuracy { parts.append("\(percent: t) fine-tuned") }
        return [.formula(stage.formula),
                .paragraph("test accuracy " + Phrase.joined(parts, separator: " → "))]
    }

    /// The paper's Table 2 for this model: each layer, all layers, and the paper's row.
    private var layerTable: TechniqueTable {
        var rows: [[Phrase]] = layers.map { l in
            [Phrase(l.name), "\(count: l.count)", "\(percent: l.keptFraction, digits: 1)", Phrase(String(l.weightBits)),
             "\(fixed: l.huffmanWeightBits, digits: 1)", Phrase(String(l.indexBits)), "\(fixed: l.huffmanIndexBits, digits: 1)",
             "\(percent: l.quantizedRate, digits: 1)", "\(percent: l.fileRate, digits: 2)"]
        }
        let n = layers.reduce(0) { $0 + $1.count }, kept = layers.reduce(0) { $0 + $1.kept }
        let entries = Double(max(1, layers.reduce(0) { $0 + $1.entries }))
        func mean(_ f: (DeepCompressionLayer) -> Double) -> Double { layers.reduce(0) { $0 + f($1) * Double($1.entries) } / entries }
        let quantized = layers.reduce(0) { $0 + $1.quantizedBytes }
        rows.append(["all", "\(count: n)", "\(percent: Double(kept) / Double(max(1, n)), digits: 1)",
                     "\(fixed: mean { Double($0.weightBits) }, digits: 1)", "\(fixed: mean(\.huffmanWeightBits), digits: 1)",
                     "\(fixed: mean { Double($0.indexBits) }, digits: 1)", "\(fixed: mean(\.huffmanIndexBits), digits: 1)",
                     "\(percent: Double(quantized) / Double(4 * max(1, n)), digits: 1)",
                     "\(percent: Double(fileBytes) / Double(baselineBytes), digits: 2)"])
        let p = Self.paperLeNet300
        rows.append(["paper", "266K", "\(percent: p.kept, digits: 1)", "\(fixed: p.weightBits, digits: 0)",
                     "\(fixed: p.huffmanWeightBits, digits: 1)", "\(fixed: p.indexBits, digits: 0)",
                     "\(fixed: p.huffmanIndexBits, digits: 1)", "\(percent: p.rate, digits: 1)",
                     "\(percent: p.huffmanRate, digits: 2)"])
        return TechniqueTable(["layer", "weights", "kept", "w bits", "+H", "i bits", "+H", "rate", "+H"], rows: rows)
    }
}
