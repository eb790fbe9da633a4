import SlimKernels

/// The output units of one layer (rows of a Dense weight `[out, in]`, filters of a Conv2D weight
/// `[out, in, kh, kw]`) ranked by norm, and the weakest ⌊units·R⌋ of them marked for removal.
///
/// Ties are broken deterministically: among equal norms the lower unit index ranks lower and
/// goes first. At least one unit always stays, since R < 1.
public struct UnitRanking: Sendable, Equatable {
    /// One unit in the ranking.
    public struct Entry: Sendable, Equatable {
        /// The unit's index in the layer (row or filter number).
        public var unit: Int
        /// Its L1 or L2 norm.
        public var norm: Double
        /// Whether it survives.
        public var kept: Bool
    }

    /// The weight ranked, e.g. `fc1.weight`.
    public var layer: String
    public var shape: [Int]
    public var norm: WeightNorm
    /// R, the fraction of units to remove.
    public var ratio: Double
    /// The units, weakest first.
    public var entries: [Entry]
    /// The surviving units, in their original order (the order of the shrunk layer).
    public var kept: [Int]
    /// The removed units, in their original order.
    public var removed: [Int]
    /// The formulas with this layer's numbers: r, and the cut-off norm when r > 0.
    public var formulas: [Formula]
    /// The rules in symbols: the unit norm and what is kept.
    public var definitions: [String]

    /// The number of units before pruning.
    public var unitCount: Int { entries.count }

    /// Ranks the units of `weight` by `norm` and marks the weakest ⌊units·R⌋ for removal.
    public init(weight: NamedTensor, ratio: Double, norm: WeightNorm) throws {
        guard ratio.isFinite, ratio >= 0, ratio < 1 else { throw PruningError.ratioOutOfRange(ratio) }
        guard weight.value.rank >= 2 else { throw PruningError.notRankable(layer: weight.name, shape: weight.value.shape) }
        guard weight.value.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else {
            throw PruningError.nonFiniteWeight(layer: weight.name)
        }
        let norms = norm.ofUnits(weight.value)
        let units = norms.count
        let removeCount = MagnitudePruning.pruneCount(parameters: units, sparsity: ratio)
        let order = norms.indices.sorted { norms[$0] < norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
        let removedSet = Set(order.prefix(removeCount))
        self.layer = weight.name
        self.shape = weight.value.shape
        self.norm = norm
        self.ratio = ratio
        self.entries = order.map { Entry(unit: $0, norm: norms[$0], kept: !removedSet.contains($0)) }
        self.kept = (0..<units).filter { !removedSet.contains($0) }
        self.removed = (0..<units).filter(removedSet.contains)

        let unitSize = weight.value.shape.dropFirst().reduce(1, *)
        let row = norm == .l1 ? "‖w_j‖₁ = Σᵢ |w_ji|" : "‖w_j‖₂ = √(Σᵢ w_ji²)"
        self.definitions = [row + ", over the \(unitSize) weights of unit j",
                            "keep the \(units - removeCount) strongest units (units − r), in their original order"]
        var f = [Formula(symbol: "r", symbolic: "⌊units·R⌋", template: "⌊{0}·{1}⌋",
                         values: [.integer(units), .real(ratio)], result: .integer(removeCount))]
        if removeCount > 0 {
            let last = order[removeCount - 1]
            f.append(Formula(symbol: "cut", symbolic: "the r-th smallest norm", template: "‖w_{0}‖",
                             values: [.integer(last)], result: .real(norms[last])))
        }
        self.formulas = f
    }
}
