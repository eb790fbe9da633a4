import SlimKernels

/// Whether one magnitude threshold covers all chosen layers or each layer gets its own.
public enum PruningScope: String, CaseIterable, Sendable {
    /// Each layer loses the fraction S of its own weights.
    case layer
    /// The weights of all chosen layers compete: the smallest S·n of them go, wherever they are.
    case global
}

/// The threshold of one magnitude pruning: how many weights it covers (n), how many it removes
/// (k = ⌊n·S⌋), and the k-th smallest magnitude τ.
///
/// Ties are broken deterministically: all weights with |w| < τ are pruned, then weights with
/// |w| = τ in order (layer order, then row-major index) until exactly k are pruned.
public struct MagnitudeThreshold: Sendable, Equatable {
    /// The weights the threshold covers, in order.
    public var layers: [String]
    /// n, the number of weights covered.
    public var count: Int
    /// S, the target sparsity.
    public var sparsity: Double
    /// k = ⌊n·S⌋, the number of weights pruned.
    public var pruneCount: Int
    /// τ, the k-th smallest |w|; nil when k = 0 (nothing is pruned).
    public var threshold: Float?
    /// How many weights have |w| < τ.
    public var belowThreshold: Int
    /// How many weights have |w| = τ and were pruned to reach exactly k.
    public var tiesPruned: Int
    /// How many weights have |w| = τ and were kept.
    public var tiesKept: Int
    /// n with this group's numbers (`n = out·in = 64·64 = 4096`, or the sum over layers).
    public var countFormula: Formula
    /// k = ⌊n·S⌋ with the numbers.
    public var pruneCountFormula: Formula
    /// τ = |w|₍ₖ₎ with the numbers; nil when k = 0.
    public var thresholdFormula: Formula?
}

/// The masks of one magnitude pruning, and the thresholds that made them.
public struct MagnitudeMasks: Sendable {
    public var scope: PruningScope
    public var sparsity: Double
    /// One threshold for `.global`, one per layer for `.layer`.
    public var thresholds: [MagnitudeThreshold]
    /// One mask per weight, in the input order: 1 keeps a weight, 0 prunes it.
    public var masks: [NamedTensor]
}

/// Unstructured magnitude pruning: remove the weights of smallest |w| (Han et al., 2015;
/// `torch.nn.utils.prune.l1_unstructured`, `global_unstructured`).
public enum MagnitudePruning {
    /// Throws unless `sparsity` is in [0, 1).
    public static func validate(sparsity: Double) throws {
        guard sparsity.isFinite, sparsity >= 0, sparsity < 1 else {
            throw PruningError.sparsityOutOfRange(sparsity)
        }
    }

    /// k = ⌊n·S⌋. A sparsity typed in decimal (0.29) is not exact in binary, so n·S is allowed
    /// to fall a hair short of a whole number (⌊100·0.29⌋ = 29, not 28).
    public static func pruneCount(parameters n: Int, sparsity: Double) -> Int {
        let product = Double(n) * sparsity
        return min(n, max(0, Int((product + 1e-6 * max(1, product)).rounded(.down))))
    }

    /// The masks that prune `weights` to `sparsity`, with one threshold per layer or one global
    /// threshold. Weights already zero count as the smallest, so pruning a pruned model again
    /// to a higher sparsity keeps the earlier zeros.
    public static func masks(for weights: [NamedTensor], sparsity: Double, scope: PruningScope) throws -> MagnitudeMasks {
        try validate(sparsity: sparsity)
        if weights.isEmpty { throw PruningError.noLayers }
        for w in weights {
            let finite = w.value.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) }
            if !finite { throw PruningError.nonFiniteWeight(layer: w.name) }
        }
        switch scope {
        case .global:
            let (threshold, masks) = prune(group: weights, sparsity: sparsity, global: true)
            return MagnitudeMasks(scope: scope, sparsity: sparsity, thresholds: [threshold], masks: masks)
        case .layer:
            var thresholds: [MagnitudeThreshold] = []
            var masks: [NamedTensor] = []
            for w in weights {
                let (threshold, mask) = prune(group: [w], sparsity: sparsity, global: false)
                thresholds.append(threshold)
                masks += mask
            }
            return MagnitudeMasks(scope: scope, sparsity: sparsity, thresholds: thresholds, masks: masks)
        }
    }

    /// w′ = w ⊙ m.
    public static func apply(_ mask: Tensor<Float>, to weight: Tensor<Float>) -> Tensor<Float> {
        precondition(mask.shape == weight.shape, "apply: mask \(mask.shape) does not match weight \(weight.shape)")
        var result = weight
        result.withUnsafeMutableBufferPointer { w in
            mask.withUnsafeBufferPointer { m in
                for i in w.indices where m[i] == 0 { w[i] = 0 }
            }
        }
        return result
    }

    private static func prune(group: [NamedTensor], sparsity: Double, global: Bool) -> (MagnitudeThreshold, [NamedTensor]) {
        let n = group.reduce(0) { $0 + $1.value.count }
        let k = pruneCount(parameters: n, sparsity: sparsity)
        var threshold: Float? = nil
        var below = 0, ties = 0
        if k > 0 {
            var magnitudes = [Float]()
            magnitudes.reserveCapacity(n)
            for w in group { w.value.withUnsafeBufferPointer { for v in $0 { magnitudes.append(abs(v)) } } }
            let tau = magnitudes.kthSmallest(k)
            for m in magnitudes { if m < tau { below += 1 } else if m == tau { ties += 1 } }
            threshold = tau
        }
        var tiesToPrune = k - below
        let tiesPruned = max(0, tiesToPrune)
        let masks = group.map { w -> NamedTensor in
            let mask = Tensor<Float>(shape: w.value.shape) { out in
                w.value.withUnsafeBufferPointer { values in
                    guard let tau = threshold else { out.initialize(repeating: 1); return }
                    for i in values.indices {
                        let m = abs(values[i])
                        if m < tau {
                            out[i] = 0
                        } else if m == tau && tiesToPrune > 0 {
                            out[i] = 0
                            tiesToPrune -= 1
                        } else {
                            out[i] = 1
                        }
                    }
                }
            }
            return NamedTensor(name: w.name, value: mask)
        }
        let names = group.map(\.name)
        let record = MagnitudeThreshold(
            layers: names, count: n, sparsity: sparsity, pruneCount: k, threshold: threshold,
            belowThreshold: below, tiesPruned: threshold == nil ? 0 : tiesPruned,
            tiesKept: threshold == nil ? 0 : ties - tiesPruned,
            countFormula: countFormula(group: group, n: n, global: global),
            pruneCountFormula: Formula(symbol: "k", symbolic: "⌊n·S⌋", template: "⌊{0}·{1}⌋",
                                       values: [.integer(n), .real(sparsity)], result: .integer(k)),
            thresholdFormula: threshold.map { tau in
                Formula(symbol: "τ", symbolic: "|w|₍ₖ₎, the k-th smallest |w|", template: "|w|₍{0}₎",
                        values: [.integer(k)], result: .real(Double(tau)))
            })
        return (record, masks)
    }

    /// The mask rule, as the report states it.
    public static let maskDefinition = "mᵢ = 1 if |wᵢ| > τ, else 0"
    /// Applying the mask, as the report states it.
    public static let applyDefinition = "w′ = w ⊙ m"

    private static func countFormula(group: [NamedTensor], n: Int, global: Bool) -> Formula {
        if global && group.count > 1 {
            return Formula(symbol: "n", symbolic: "Σ_l n_l",
                           template: group.indices.map { "{\($0)}" }.joined(separator: " + "),
                           values: group.map { .integer($0.value.count) }, result: .integer(n))
        }
        let shape = group.count == 1 ? group[0].value.shape : [n]
        let names: [String]
        switch shape.count {
        case 1: names = ["size"]
        case 2: names = ["out", "in"]
        case 4: names = ["out", "in", "kh", "kw"]
        default: names = shape.indices.map { "d\($0)" }
        }
        return Formula(symbol: "n", symbolic: names.joined(separator: "·"),
                       template: shape.indices.map { "{\($0)}" }.joined(separator: "·"),
                       values: shape.map { .integer($0) }, result: .integer(n))
    }
}
