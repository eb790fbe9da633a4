/// A named model in the session (`baseline`, `pruned-80`, `int8`, `student`), with how it was
/// made and how it was trained. Every technique makes a new variant and leaves its source as it
/// was, so `compare` can always put them side by side.
public struct Variant: Sendable {
    public var name: String
    public var model: Model
    /// How the variant came to be, for `model list` (`mlp 64-64-10, seed 0`,
    /// `copy of baseline`, `magnitude pruning 80 % of baseline`).
    public var origin: String
    /// The variant this one was derived from, if any.
    public var parent: String?
    /// Every training run on this variant, oldest first.
    public var trainingRuns: [TrainingReport] = []
    /// The steps of the technique that made this variant (or last fine-tuned it) in this
    /// session, for `steps`; nil for a variant that is new, loaded, copied or only trained.
    public var madeBy: TechniqueOutcome?

    public init(name: String, model: Model, origin: String, parent: String? = nil) {
        self.name = name
        self.model = model
        self.origin = origin
        self.parent = parent
    }

    /// Whether it has been trained (in this session or before it was saved).
    public var isTrained: Bool { !trainingRuns.isEmpty || model.completedEpochs > 0 }
    /// The last training run's final test accuracy, if any.
    public var lastTestAccuracy: Double? { trainingRuns.last?.finalTestAccuracy }
    /// The last optimizer update of one weight, for `formula sgd|adam`.
    public var lastUpdate: UpdateExample? { trainingRuns.last(where: { $0.lastUpdate != nil })?.lastUpdate }
}

/// What can go wrong naming, finding or changing variants.
public enum VariantError: Error, CustomStringConvertible, Equatable {
    case noVariants
    case unknownVariant(String, known: [String])
    case nameTaken(String)
    case invalidName(String)

    public var description: String {
        switch self {
        case .noVariants:
            return "there is no model yet; make one with 'model new mlp 64-64-10' or 'model load PATH'"
        case let .unknownVariant(name, known):
            return known.isEmpty
                ? "no model named '\(name)'; there are no models yet"
                : "no model named '\(name)'; the models are: \(known.joined(separator: ", "))"
        case let .nameTaken(name):
            return "a model named '\(name)' exists already; choose another name or 'model drop \(name)' first"
        case let .invalidName(name):
            return "'\(name)' cannot name a model; use letters, digits, '-', '_' or '.', starting with a letter or digit (at most 40 characters)"
        }
    }
}
