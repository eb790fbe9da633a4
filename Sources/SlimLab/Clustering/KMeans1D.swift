import SlimKernels

/// Lloyd's k-means on one dimension, deterministic: the same values, k, start and seed give
/// the same centroids bit for bit, on any machine.
///
/// In 1-D every cluster is a run of the sorted values, cut at the midpoints between
/// neighbouring centroids, so one iteration is k binary searches and k means taken from prefix
/// sums (in Double), not n·k distances. A value exactly at a midpoint joins the lower cluster.
/// Iterations stop when no value changes cluster, or after `maxIterations`.
public enum KMeans1D {
    /// The outcome of clustering `values`.
    public struct Result: Sendable, Equatable {
        /// The centroids in ascending order (a cluster that ends up empty keeps its start).
        public var centroids: [Float]
        /// For each input value, the index of its centroid.
        public var assignments: [Int32]
        /// The centroids where iteration began, ascending.
        public var initialCentroids: [Float]
        public var iterations: Int
        public var converged: Bool
    }

    /// Clusters `values` into at most `k` groups.
    /// - Precondition: `values` is non-empty and finite; k ≥ 1.
    public static func cluster(_ values: [Float], k: Int, initialization: CentroidInitialization,
                               seed: UInt64 = 0, maxIterations: Int = 300) -> Result {
        precondition(!values.isEmpty && k >= 1, "KMeans1D: need values and k ≥ 1")
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        let sorted = order.map { values[$0] }
        var prefix = [Double](repeating: 0, count: sorted.count + 1)
        for (i, x) in sorted.enumerated() { prefix[i + 1] = prefix[i] + Double(x) }

        var centroids = initialCentroids(sorted: sorted, k: k, initialization: initialization, seed: seed)
        let start = centroids
        var ends = boundaries(sorted: sorted, centroids: centroids)
        var iterations = 0, converged = false
        while iterations < maxIterations {
            iterations += 1
            var begin = 0
            for j in 0..<centroids.count {
                let end = ends[j]
                if end > begin { centroids[j] = Float((prefix[end] - prefix[begin]) / Double(end - begin)) }
                begin = end
            }
            centroids.sort()
            let next = boundaries(sorted: sorted, centroids: centroids)
            if next == ends { converged = true; break }
            ends = next
        }
        var assignments = [Int32](repeating: 0, count: values.count)
        var begin = 0
        for j in 0..<centroids.count {
            for i in begin..<ends[j] { assignments[order[i]] = Int32(j) }
            begin = ends[j]
        }
        return Result(centroids: centroids, assignments: assignments, initialCentroids: start,
                      iterations: iterations, converged: converged)
    }

    /// The index of the centroid nearest to `x` in ascending `centroids` (the lower on a tie).
    public static func nearest(_ x: Float, in centroids: [Float]) -> Int {
        var best = 0
        for j in 1..<max(1, centroids.count) where abs(x - centroids[j]) < abs(x - centroids[best]) { best = j }
        return best
    }

    /// For each cluster j, the end (exclusive) of its run of sorted values.
    static func boundaries(sorted: [Float], centroids: [Float]) -> [Int] {
        var ends: [Int] = []
        ends.reserveCapacity(centroids.count)
        for j in 0..<centroids.count {
            if j == centroids.count - 1 { ends.append(sorted.count); break }
            let cut = centroids[j] + (centroids[j + 1] - centroids[j]) / 2
            // First index whose value is above the cut.
            var low = ends.last ?? 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] <= cut { low = mid + 1 } else { high = mid }
            }
            ends.append(low)
        }
        return ends
    }

    /// The starting centroids, ascending.
    static func initialCentroids(sorted: [Float], k: Int, initialization: CentroidInitialization, seed: UInt64) -> [Float] {
        let n = sorted.count
        let low = sorted[0], high = sorted[n - 1]
        var generator = SeededGenerator(seed: seed)
        var centroids: [Float]
        switch initialization {
        case .linear:
            centroids = k == 1 ? [low + (high - low) / 2]
                : (0..<k).map { j in low + (high - low) * Float(j) / Float(k - 1) }
        case .density:
            centroids = (0..<k).map { j in sorted[min(n - 1, Int((Double(j) + 0.5) / Double(k) * Double(n)))] }
        case .random:
            centroids = generator.permutation(n).prefix(k).map { sorted[$0] }
        case .kmeansPlusPlus:
            centroids = [sorted[generator.nextInt(below: n)]]
            var distance = sorted.map { x in Double(x - centroids[0]) * Double(x - centroids[0]) }
            while centroids.count < min(k, n) {
                let total = distance.reduce(0, +)
                guard total > 0 else { break }
                var target = generator.nextUnitDouble() * total, chosen = n - 1
                for i in 0..<n {
                    target -= distance[i]
                    if target < 0 { chosen = i; break }
                }
                let c = sorted[chosen]
                centroids.append(c)
                for i in 0..<n { distance[i] = min(distance[i], Double(sorted[i] - c) * Double(sorted[i] - c)) }
            }
        }
        return centroids.sorted()
    }
}
