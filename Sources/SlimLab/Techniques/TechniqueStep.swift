/// One numbered step of a technique: what it does, and what it shows.
public struct TechniqueStep: Sendable {
    public var title: String
    public var items: [TechniqueItem]
    /// Whether the step shows what the technique comes to (a comparison, the error per layer,
    /// the codebook): `detail=brief` shows its items too, without the step's header.
    public var isResult: Bool

    public init(title: String, items: [TechniqueItem] = [], isResult: Bool = false) {
        self.title = title
        self.items = items
        self.isResult = isResult
    }

    /// The formulas of the step, in order.
    public var formulas: [Formula] {
        items.compactMap { item in
            switch item {
            case .formula(let f), .derivation(let f): return f
            default: return nil
            }
        }
    }

    /// The tables of the step, in order.
    public var tables: [TechniqueTable] {
        items.compactMap { if case .table(let t) = $0 { t } else { nil } }
    }
}
