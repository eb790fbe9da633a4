import SlimKernels

/// Which pruning a sensitivity analysis applies to each layer.
public enum SensitivityMethod: String, CaseIterable, Sendable {
    /// Magnitude pruning of the layer's weights to each sparsity.
    case magnitude
    /// Structured pruning of the layer's units at each ratio.
    case structured
}

/// How much each layer alone can be pruned before accuracy suffers (Distiller's sensitivity
/// analysis; Han et al., 2015): every layer is pruned by itself at every level, the rest of the
/// model left as it was, and the test accuracy measured. Fragile layers lose accuracy early;
/// robust ones can be pruned harder.
public struct SensitivityAnalysis: Sendable, Equatable {
    /// One layer's accuracies, one per level.
    public struct Curve: Sendable, Equatable {
        /// The weight (`fc1.weight`).
        public var name: String
        public var parameters: Int
        /// Test accuracy in [0, 1] at each of `levels`.
        public var accuracies: [Double]
    }

    public var variant: String
    public var method: SensitivityMethod
    /// The sparsities (magnitude) or ratios (structured) tried, ascending.
    public var levels: [Double]
    /// The unpruned model's test accuracy.
    public var baselineAccuracy: Double
    public var curves: [Curve]

    /// Runs the analysis on `model` with test data `test`. The stop signal is polled between
    /// evaluations; a stopped analysis throws.
    public static func run(_ model: Model, variant: String, method: SensitivityMethod, levels: [Double],
                           test: Dataset, pool: ComputePool, stop: StopSignal? = nil) throws -> SensitivityAnalysis {
        let levels = levels.sorted()
        for level in levels {
            switch method {
            case .magnitude: try MagnitudePruning.validate(sparsity: level)
            case .structured: guard level.isFinite, level >= 0, level < 1 else { throw PruningError.ratioOutOfRange(level) }
            }
        }
        guard !levels.isEmpty else { throw PruningError.noLevels }
        let base = model
        let baseline = try base.accuracy(on: test, pool: pool)
        var curves: [Curve] = []
        switch method {
        case .magnitude:
            for weight in base.prunableWeights {
                var accuracies: [Double] = []
                for level in levels {
                    if stop?.isRequested == true { throw PruningWorkspaceError.stopped }
                    let pruned = try MagnitudePruning.prune(model: base, sparsity: level, scope: .layer, layers: [weight.name]).model
                    accuracies.append(try pruned.accuracy(on: test, pool: pool))
                }
                curves.append(Curve(name: weight.name, parameters: weight.value.count, accuracies: accuracies))
            }
        case .structured:
            let layers = StructuredPruning.shrinkableLayers(of: base)
            guard !layers.isEmpty else { throw PruningError.noLayers }
            for layer in layers {
                var accuracies: [Double] = []
                for level in levels {
                    if stop?.isRequested == true { throw PruningWorkspaceError.stopped }
                    let pruned = try StructuredPruning.prune(model: base, ratio: level, norm: .l2, layers: [layer]).model
                    accuracies.append(try pruned.accuracy(on: test, pool: pool))
                }
                let count = try base.parameter(named: "\(layer).weight").count
                curves.append(Curve(name: "\(layer).weight", parameters: count, accuracies: accuracies))
            }
        }
        return SensitivityAnalysis(variant: variant, method: method, levels: levels, baselineAccuracy: baseline, curves: curves)
    }

    /// The highest level at which `curve` stays within `points` accuracy points of the baseline
    /// (nil when even the lowest level loses more).
    public func tolerableLevel(of curve: Curve, points: Double = 1) -> Double? {
        var best: Double? = nil
        for (level, accuracy) in zip(levels, curve.accuracies) where (baselineAccuracy - accuracy) * 100 <= points {
            best = level
        }
        return best
    }
}

extension Workspace {
    /// `prune sensitivity`: each prunable layer of `name` (current when nil) pruned alone at
    /// each level and evaluated on the loaded test data.
    public func pruningSensitivity(_ name: String? = nil, levels: [Double], method: SensitivityMethod) throws -> SensitivityAnalysis {
        let test = try requireData("prune sensitivity").test
        let variant = try variants.variant(named: name)
        return try SensitivityAnalysis.run(variant.model, variant: variant.name, method: method, levels: levels,
                                           test: test, pool: pool, stop: stop)
    }
}
