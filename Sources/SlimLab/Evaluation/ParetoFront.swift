/// The Pareto front of candidates that trade a cost (bytes) against a value (accuracy): the
/// candidates no other one beats on both, i.e. none is at most as costly and strictly better,
/// or strictly cheaper and at least as good.
public enum ParetoFront {
    /// The indices of the candidates on the front, cheapest first. Candidates with a
    /// non-finite cost or value are never on it.
    public static func indices(costs: [Double], values: [Double]) -> [Int] {
        precondition(costs.count == values.count, "ParetoFront: \(costs.count) costs for \(values.count) values")
        let candidates = costs.indices.filter { costs[$0].isFinite && values[$0].isFinite }
        let front = candidates.filter { i in
            !candidates.contains { j in
                j != i && costs[j] <= costs[i] && values[j] >= values[i] && (costs[j] < costs[i] || values[j] > values[i])
            }
        }
        return front.sorted { (costs[$0], values[$1]) < (costs[$1], values[$0]) }
    }
}

extension Comparison {
    /// The rows no other row beats on both bytes and test accuracy, smallest first (rows
    /// without an accuracy are left out).
    public var paretoFront: [Int] {
        ParetoFront.indices(costs: rows.map { Double($0.byteCount) }, values: rows.map { $0.testAccuracy ?? .nan })
    }
}
