import SlimKernels

/// A magnitude pruning run: the masks, the pruned weights and the report of how they came about.
public struct MagnitudePruningResult: Sendable {
    /// The masks and thresholds.
    public var masks: MagnitudeMasks
    /// w′ = w ⊙ m for each weight, in the input order.
    public var pruned: [NamedTensor]
    /// What was done, in one line (`global magnitude pruning to sparsity 0.8`).
    public var title: String
    /// Steps: measure, count, threshold, masks, tensors before and after, result.
    public var steps: [TechniqueStep]
}

extension MagnitudePruning {
    /// Prunes `weights` to `sparsity` by magnitude and explains every step.
    ///
    /// - Parameters:
    ///   - excerptRows, excerptColumns: the size of the before/after windows of each tensor.
    ///   - bins: the number of histogram bins (odd, so zero sits in the middle of one).
    public static func prune(_ weights: [NamedTensor], sparsity: Double, scope: PruningScope,
                             excerptRows: Int = 4, excerptColumns: Int = 6, bins: Int = 21) throws -> MagnitudePruningResult {
        let masks = try self.masks(for: weights, sparsity: sparsity, scope: scope)
        let pruned = zip(weights, masks.masks).map { w, m in
            NamedTensor(name: w.name, value: apply(m.value, to: w.value))
        }
        let before = weights.map { LayerSparsity(name: $0.name, weight: $0.value) }
        let after = pruned.map { LayerSparsity(name: $0.name, weight: $0.value) }

        let title = "\(scope == .global ? "global" : "per-layer") magnitude pruning to sparsity \(formatReal(sparsity, digits: 6))"
        var steps: [TechniqueStep] = []

        var measure = TechniqueStep(title: "Measure the weights")
        measure.items.append(.paragraph("The size of a weight is its magnitude |w|; a layer's size is its L1 or L2 norm."))
        for w in weights { measure.items.append(.formula(l1Formula(w))) }
        for w in weights { measure.items.append(.formula(l2Formula(w))) }
        measure.items.append(PruningItems.layers(before: nil, after: before))
        steps.append(measure)

        var count = TechniqueStep(title: scope == .global ? "Count the weights to prune, over all chosen layers"
                                                        : "Count the weights to prune, layer by layer")
        var threshold = TechniqueStep(title: scope == .global ? "Find one threshold for all layers"
                                                            : "Find each layer's threshold")
        for t in masks.thresholds {
            if scope == .layer { count.items.append(.line(Phrase(t.layers[0]))) }
            count.items += [.formula(t.countFormula), .formula(t.pruneCountFormula)]
            if scope == .layer { threshold.items.append(.line(Phrase(t.layers[0]))) }
            if let f = t.thresholdFormula {
                threshold.items.append(.formula(f))
            } else {
                threshold.items.append(.paragraph("k = 0: nothing to prune, every mask entry is 1."))
            }
            if t.threshold != nil, t.tiesPruned + t.tiesKept > 1 {
                threshold.items.append(.paragraph("\(t.tiesPruned + t.tiesKept) weights have |w| = τ exactly: the first \(t.tiesPruned) in index order are pruned, \(t.tiesKept) kept, so exactly k go."))
            }
        }
        steps.append(count)
        steps.append(threshold)

        var applyStep = TechniqueStep(title: "Build the masks and apply them")
        applyStep.items.append(.rule(maskDefinition))
        applyStep.items.append(.rule(applyDefinition))
        for (w, p) in zip(weights, pruned) {
            applyStep.items.append(.excerpt(before: TensorExcerpt(name: w.name, tensor: w.value, rowCount: excerptRows, columnCount: excerptColumns),
                                        after: TensorExcerpt(name: p.name, tensor: p.value, rowCount: excerptRows, columnCount: excerptColumns)))
        }
        steps.append(applyStep)

        var distribution = TechniqueStep(title: "Look at the distribution")
        distribution.items.append(.paragraph("The weights with |w| ≤ τ are now exactly zero: the kept ones leave a gap around zero."))
        for (w, p) in zip(weights, pruned) {
            let pair = histograms(before: w.value, after: p.value, bins: bins)
            let zeros = p.value.withUnsafeBufferPointer { $0.reduce(0) { $1 == 0 ? $0 + 1 : $0 } }
            let tau = masks.thresholds.first { $0.layers.contains(w.name) }?.threshold
            distribution.items.append(.histogramPair(name: w.name, before: pair.before, after: pair.after,
                                                     zerosAfter: zeros, threshold: tau))
        }
        steps.append(distribution)

        var result = TechniqueStep(title: "Count what is left")
        result.items.append(PruningItems.layers(before: before, after: after))
        steps.append(result)

        return MagnitudePruningResult(masks: masks, pruned: pruned, title: title, steps: steps)
    }

    /// Histograms of `before` (all values) and `after` (its non-zero values) over the same bins,
    /// symmetric around zero and wide enough for both, so they can be drawn one above the other;
    /// an odd bin count puts zero in the middle of a bin.
    public static func histograms(before: Tensor<Float>, after: Tensor<Float>, bins: Int)
        -> (before: ValueHistogram, after: ValueHistogram) {
        let limit = max(largestMagnitude(before), largestMagnitude(after))
        let bound = limit > 0 ? limit : 1
        let all = before.withUnsafeBufferPointer {
            ValueHistogram(values: $0, binCount: max(1, bins), lower: -bound, upper: bound)
        }
        let kept = after.scalars.filter { $0 != 0 }
        let nonZero = kept.withUnsafeBufferPointer {
            ValueHistogram(values: $0, binCount: max(1, bins), lower: -bound, upper: bound)
        }
        return (all, nonZero)
    }

    private static func largestMagnitude(_ tensor: Tensor<Float>) -> Float {
        tensor.withUnsafeBufferPointer { buffer in
            var m: Float = 0
            for v in buffer where v.isFinite { m = max(m, abs(v)) }
            return m
        }
    }

    /// ‖w‖₁ = Σᵢ |wᵢ| = |w₀| + |w₁| + |w₂| + … = total, with the first three magnitudes shown.
    static func l1Formula(_ w: NamedTensor) -> Formula {
        let shown = min(3, w.value.count)
        var parts = (0..<shown).map { "{\($0)}" }
        if w.value.count > shown { parts.append("…") }
        return Formula(symbol: "‖\(w.name)‖₁", symbolic: "Σᵢ |wᵢ|",
                       template: parts.isEmpty ? "0" : parts.joined(separator: " + "),
                       values: (0..<shown).map { .real(Double(abs(w.value[flat: $0]))) },
                       result: .real(WeightNorm.l1.of(w.value)))
    }

    /// ‖w‖₂ = √(Σᵢ wᵢ²) = √(w₀² + w₁² + …) = total, with the first two squares shown.
    static func l2Formula(_ w: NamedTensor) -> Formula {
        let shown = min(2, w.value.count)
        var parts = (0..<shown).map { "{\($0)}" }
        if w.value.count > shown { parts.append("…") }
        return Formula(symbol: "‖\(w.name)‖₂", symbolic: "√(Σᵢ wᵢ²)",
                       template: "√(" + (parts.isEmpty ? "0" : parts.joined(separator: " + ")) + ")",
                       values: (0..<shown).map { let v = Double(w.value[flat: $0]); return .real(v * v) },
                       result: .real(WeightNorm.l2.of(w.value)))
    }
}
