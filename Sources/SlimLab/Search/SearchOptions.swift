/// What `search` is asked to find: a compression of a model within a byte budget that keeps
/// validation accuracy within `maxDrop` points of the float model's.
public struct SearchOptions: Sendable, Equatable {
    /// The size a deployment allows: bytes, or a named scenario.
    public enum Budget: Sendable, Equatable {
        case bytes(Int)
        case preset(BudgetPreset)

        /// The bytes for a model whose fp32 weights take `floatBytes`.
        public func bytes(forFloatBytes floatBytes: Int) -> Int {
            switch self {
            case let .bytes(count): return count
            case let .preset(preset): return floatBytes / preset.shrinkFactor
            }
        }
    }

    /// What the search may change per layer.
    public enum Dimension: String, CaseIterable, Sendable {
        case sparsity, bits
    }

    /// How the search walks.
    public enum Strategy: String, CaseIterable, Sendable {
        /// From fp32, take the compression step that costs the least validation accuracy per
        /// byte saved until the budget is met (AMC/HAQ-style per-layer choices, greedily);
        /// then give back steps that help while the budget allows.
        case greedy
        /// From the fewest bits everywhere (with the least uniform sparsity that fits the
        /// budget), fall back the step with the largest validation gain per byte spent while the budget allows (Intel Neural Compressor's fallback,
        /// per layer and per step).
        case fallback
    }

    public var budget: Budget
    /// Allowed loss of validation accuracy, in percentage points.
    public var maxDrop: Double
    public var dimensions: [Dimension]
    public var strategy: Strategy
    /// The share of the training split held out for validation when the data has none.
    public var validationFraction: Double
    /// The most epochs of fine-tuning (``RecipeTuning``) a result that meets the budget but
    /// misses max-drop gets; 0 never fine-tunes.
    public var fineTuneEpochs: Int

    public init(budget: Budget, maxDrop: Double = 1.0, dimensions: [Dimension] = Dimension.allCases,
                strategy: Strategy = .greedy, validationFraction: Double = 0.2, fineTuneEpochs: Int = 3) {
        self.budget = budget
        self.maxDrop = maxDrop
        self.dimensions = dimensions
        self.strategy = strategy
        self.validationFraction = validationFraction
        self.fineTuneEpochs = fineTuneEpochs
    }

    /// The code widths a layer can step through, widest first: the widths codes are stored in
    /// (6-bit codes take 8-bit fields and 3-bit codes 4-bit ones, so they would save nothing).
    public static let bitLadder = [32, 8, 4, 2]
    /// The sparsities a layer can step through, densest first.
    public static let sparsityLadder = [0, 0.25, 0.5, 0.7, 0.8, 0.9]

    /// The ladders in effect (a dimension not searched keeps its first rung).
    var bits: [Int] { dimensions.contains(.bits) ? Self.bitLadder : [32] }
    var sparsities: [Double] { dimensions.contains(.sparsity) ? Self.sparsityLadder : [0] }
}

/// Deployment scenarios as size budgets, relative to the model's fp32 size (SlimLab's models
/// are small, so the scenarios are scaled to them): what matters on each device is how much
/// smaller the model must get.
public enum BudgetPreset: String, CaseIterable, Sendable {
    /// A server: memory is plentiful; halve the model (int8-class), accuracy first.
    case cloud
    /// A phone app: the model ships in the download and shares RAM; 4× smaller.
    case phone
    /// A microcontroller-class edge device: tens of KiB of flash for everything; 8× smaller.
    case edge

    public var shrinkFactor: Int {
        switch self {
        case .cloud: return 2
        case .phone: return 4
        case .edge: return 8
        }
    }

    public var summary: String {
        switch self {
        case .cloud: return "server: fp32 size / 2"
        case .phone: return "phone app: fp32 size / 4"
        case .edge: return "microcontroller: fp32 size / 8"
        }
    }
}
