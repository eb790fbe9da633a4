/// What can go wrong when pruning, with messages that name the bad value and what is allowed.
public enum PruningError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A sparsity target outside [0, 1) (1 would remove every weight).
    case sparsityOutOfRange(Double)
    /// A structured ratio outside [0, 1) (1 would remove every neuron).
    case ratioOutOfRange(Double)
    /// A layer name that is not among the prunable layers.
    case unknownLayer(String, available: [String])
    /// The same layer named twice.
    case duplicateLayer(String)
    /// Nothing to prune: no layers selected.
    case noLayers
    /// A weight tensor holding NaN or ±∞, which has no magnitude order.
    case nonFiniteWeight(layer: String)
    /// A weight tensor whose shape cannot be ranked by output unit (needs rank ≥ 2).
    case notRankable(layer: String, shape: [Int])
    /// A layer whose units cannot be removed (the output layer, or one not followed by a
    /// Dense or Conv2D layer).
    case notShrinkable(layer: String, shrinkable: [String])
    /// A sensitivity analysis without levels.
    case noLevels
    /// A schedule with fewer than one step.
    case stepsOutOfRange(Int)
    /// An initial sparsity above the final one.
    case scheduleDecreasing(initial: Double, final: Double)

    public var description: String {
        switch self {
        case .sparsityOutOfRange(let s):
            return "sparsity=\(formatted(s)) is out of range: use a fraction in [0, 1), e.g. sparsity=0.8 to remove 80 % of the weights"
        case .ratioOutOfRange(let r):
            return "ratio=\(formatted(r)) is out of range: use a fraction in [0, 1), e.g. ratio=0.25 to remove a quarter of the neurons"
        case .unknownLayer(let name, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "unknown layer '\(name)': prunable layers are \(list)"
        case .duplicateLayer(let name):
            return "layer '\(name)' is named twice"
        case .noLayers:
            return "no layers to prune: the model has no prunable weights or layers= named none"
        case .nonFiniteWeight(let layer):
            return "\(layer) holds NaN or infinite weights: magnitudes cannot be ordered (retrain with a smaller learning rate)"
        case .notRankable(let layer, let shape):
            return "\(layer) has shape \(shape): structured pruning ranks the rows of a weight of rank ≥ 2"
        case .notShrinkable(let layer, let shrinkable):
            let list = shrinkable.isEmpty ? "none" : shrinkable.joined(separator: ", ")
            return "\(layer) cannot lose units: it is the output layer (its units are the classes) or no Dense/Conv2D layer reads it; layers that can: \(list)"
        case .noLevels:
            return "no sparsities to try: give a list like sparsities=0.1,0.3,0.5,0.7,0.9"
        case .stepsOutOfRange(let k):
            return "steps=\(k) is out of range: use a whole number ≥ 1"
        case .scheduleDecreasing(let initial, let final):
            return "the model is already \(formatted(initial)) sparse, above the target sparsity=\(formatted(final)): pick a higher target"
        }
    }

    private func formatted(_ x: Double) -> String {
        x.isFinite ? "\(x)" : (x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
    }
}
