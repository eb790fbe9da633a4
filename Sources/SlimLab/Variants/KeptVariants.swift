import SlimKernels

/// Which variants are kept on disk as they are now — by `model save`, `model load`,
/// `session save` or `session load` — so that leaving can say what would be lost.
///
/// It holds the model of each variant as it was written or read (a copy that shares its
/// tensors until either side changes), and a variant is kept while its model still has the
/// same structure, weights, masks, stored form and epochs.
public struct KeptVariants: Sendable {
    private var models: [String: Model] = [:]
    /// The unsaved variants a warning was last given for (`quit` leaves when asked again with
    /// nothing new to lose).
    public var warned: [String]?

    public init() {}

    /// Marks `variant` kept as it is now.
    public mutating func record(_ variant: Variant) {
        models[variant.name] = variant.model
    }

    /// Forgets everything (a session loaded in place of the old one records its own).
    public mutating func removeAll() {
        models = [:]
        warned = nil
    }

    /// Whether `variant` is kept as it is now.
    public func keeps(_ variant: Variant) -> Bool {
        guard let kept = models[variant.name] else { return false }
        return Self.sameContent(kept, variant.model)
    }

    /// Whether two models hold the same thing: architecture, epochs, stored form, and every
    /// parameter's values and mask.
    static func sameContent(_ a: Model, _ b: Model) -> Bool {
        guard a.architecture == b.architecture, a.completedEpochs == b.completedEpochs,
              a.storedTensors == b.storedTensors, (a.inferenceEngine == nil) == (b.inferenceEngine == nil) else { return false }
        for (x, y) in zip(a.layers, b.layers) {
            for (p, q) in zip(x.parameters, y.parameters) where p.value != q.value || p.mask != q.mask {
                return false
            }
        }
        return true
    }
}
