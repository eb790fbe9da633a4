/// The tables and lines pruning's steps show: per-layer sparsity, a ranking of units, changed
/// shapes, a schedule, how each weight is stored, and fine-tuning between steps.
enum PruningItems {
    static func shape(_ dims: [Int]) -> String { ModelError.shapeText(dims) }

    /// Parameters, zeros, sparsity and norms per tensor and over all; with `before`, the
    /// sparsity each had before, beside its sparsity after.
    static func layers(before: [LayerSparsity]?, after: [LayerSparsity]) -> TechniqueItem {
        func row(_ r: LayerSparsity, wasSparsity: Double?) -> [Phrase] {
            var cells: [Phrase] = [Phrase(r.name), Phrase(shape(r.shape)), "\(count: r.parameters)", "\(count: r.zeros)"]
            if let wasSparsity { cells.append("\(percent: wasSparsity)") }
            cells += ["\(percent: r.sparsity)", "\(fixed: r.l1)", "\(fixed: r.l2)"]
            return cells
        }
        var titles = ["tensor", "shape", "params", "zeros"]
        if before != nil { titles.append("sparsity before") }
        titles += [before == nil ? "sparsity" : "after"]
        var rows: [[Phrase]] = []
        for (index, r) in after.enumerated() {
            let was = before.map { list in list.first { $0.name == r.name }?.sparsity ?? (index < list.count ? list[index].sparsity : 0) }
            rows.append(row(r, wasSparsity: was))
        }
        if after.count > 1 {
            var total = row(LayerSparsity.total(of: after), wasSparsity: before.map { LayerSparsity.total(of: $0).sparsity })
            total[0] = "all"
            total[1] = ""
            rows.append(total)
        }
        // The norms are details: a narrow screen leaves them out before it shortens a name.
        let columns = titles.map { TechniqueTable.Column(title: $0) }
            + ["L1 Σ|w|", "L2 √Σw²"].map { TechniqueTable.Column(title: $0, overflow: .drop) }
        return .table(TechniqueTable(columns: columns, rows: rows))
    }

    /// A layer's units ranked by norm: the weakest few, the ones around the cut and the
    /// strongest few, the removed ones marked.
    static func ranking(_ ranking: UnitRanking) -> [TechniqueItem] {
        let unitWord = ranking.shape.count == 4 ? "filter" : "neuron"
        let entries = ranking.entries
        let removed = ranking.removed.count
        var shown = Set<Int>()
        for i in 0..<min(3, entries.count) { shown.insert(i) }
        for i in max(0, removed - 2)..<min(entries.count, removed + 2) { shown.insert(i) }
        for i in max(0, entries.count - 2)..<entries.count { shown.insert(i) }
        var rows: [[Phrase]] = []
        var last = -1
        for i in shown.sorted() {
            if i != last + 1 { rows.append(["…", "", "", ""]) }
            let e = entries[i]
            rows.append([Phrase(String(i + 1)), "\(unitWord) \(e.unit)", "\(fixed: e.norm)", e.kept ? "kept" : "removed"])
            last = i
        }
        let norm = ranking.norm == .l1 ? "L1 norm" : "L2 norm"
        return [.line("\(ranking.layer): \(entries.count) \(unitWord)s ranked by \(norm), weakest first; \(removed) removed"),
                .table(TechniqueTable(["rank", unitWord, norm, ""], rows: rows))]
    }

    /// `fc1.weight: [128, 64] → [96, 64]`, one line per tensor.
    static func shapes(_ changes: [ShapeChange]) -> [TechniqueItem] {
        changes.map { .line(Phrase("\($0.name): \(shape($0.before)) → \(shape($0.after))")) }
    }

    /// The schedule's steps as a table, and the sparsity by step as a curve.
    static func schedule(_ schedule: SparsitySchedule) -> [TechniqueItem] {
        let rows: [[Phrase]] = schedule.steps.map { step in
            [Phrase(String(step.index)), Phrase(String(step.time)), "\(fixed: step.sparsity, digits: 4)", "\(percent: step.sparsity)"]
        }
        let time = schedule.epochsPerStep > 0 ? "t (epochs)" : "t (steps)"
        return [.table(TechniqueTable(["step j", time, "s_t", "sparsity"], rows: rows)),
                .curve(TechniqueCurve(label: "sparsity by step: ", values: [schedule.initial] + schedule.steps.map(\.sparsity),
                                      range: 0...1, start: .fixed(schedule.initial, digits: 2),
                                      end: .fixed(schedule.final, digits: 2)))]
    }

    /// Dense and CSR bytes of each Dense weight, and which was chosen.
    static func storage(_ decisions: [SparseLayerDecision]) -> TechniqueItem {
        let rows: [[Phrase]] = decisions.map { d in
            [Phrase(d.name), Phrase(shape(d.shape)), "\(percent: d.density)", "\(count: d.denseBytes)", "\(count: d.csrBytes)",
             d.storedAsCSR ? "CSR" : "dense"]
        }
        return .table(TechniqueTable(["tensor", "shape", "kept", "dense bytes", "CSR bytes", "stored as"], rows: rows))
    }

    /// Fine-tuning inside a step: the accuracy right after pruning (nil without test data),
    /// the epochs, and the loss and accuracy after them.
    static func training(accuracyAfterPruning: Double?, epochs: Int, loss: Double, accuracy: Double?) -> TechniqueItem {
        var text: Phrase = ""
        if let accuracyAfterPruning { text += "pruned: test accuracy \(percent: accuracyAfterPruning); " }
        text += "fine-tuned \(epochs) epoch\(epochs == 1 ? "" : "s"): loss \(fixed: loss)"
        if let accuracy { text += ", test accuracy \(percent: accuracy)" }
        return .line(text)
    }
}
