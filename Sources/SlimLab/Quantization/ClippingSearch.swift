import Foundation

/// The threshold searches over an |x| histogram: which clipping threshold T makes the
/// quantized activation closest to the real one, by squared error or by information lost.
///
/// Candidates are the bin edges T_i = i·w for i from `startBin` to the last bin. The grid on
/// [0, T] has L = 2^(b−1) − 1 steps for signed data and 2^b − 1 for non-negative data (every
/// code then serves the positive side), as in NVIDIA's pytorch-quantization calibrators.
public enum ClippingSearch {
    /// The number of grid steps on [0, T] for `bits`-bit codes.
    public static func levels(bits: Int, nonNegative: Bool) -> Int {
        (1 << (bits - (nonNegative ? 0 : 1))) - 1
    }

    /// MSE search: for each candidate T, every bin center c is fake-quantized on the grid
    /// step T/L (values beyond T clamp to T) and the cost is Σ nᵢ·(cᵢ − Q_T(cᵢ))² / Σ nᵢ.
    /// Returns the curve and the index of the cheapest candidate (the first on ties).
    public static func meanSquaredError(_ histogram: AbsoluteValueHistogram, bits: Int,
                                        startBin: Int) -> (curve: [SearchPoint], best: Int) {
        let counts = histogram.counts, w = Double(histogram.binWidth)
        let levels = Double(Self.levels(bits: bits, nonNegative: histogram.isNonNegative))
        let total = Double(max(1, histogram.total))
        var curve: [SearchPoint] = []
        var best = 0
        for i in candidateRange(binCount: counts.count, startBin: startBin) {
            let threshold = Double(i) * w
            let step = threshold / levels
            var cost = 0.0
            for (bin, n) in counts.enumerated() where n > 0 {
                let center = (Double(bin) + 0.5) * w
                let q = min((center / step).rounded(.toNearestOrEven), levels) * step
                cost += Double(n) * (center - q) * (center - q)
            }
            curve.append(SearchPoint(threshold: Float(threshold), cost: cost / total))
            if cost / total < curve[best].cost { best = curve.count - 1 }
        }
        return (curve, best)
    }

    /// Entropy search (TensorRT's calibrator): for each candidate of i bins, the reference P is
    /// the first i bins with every count beyond folded into bin i − 1; the candidate Q merges the
    /// i bins into L + 1 groups (the codes), then spreads each group's total evenly over the
    /// group's non-empty bins. Both are smoothed as MXNet's calibrator does (every empty bin
    /// gets ε = 10⁻⁴ of a count, taken evenly from the others), so a bin that Q leaves empty
    /// does not make the divergence infinite. The cost is KL(P ‖ Q) = Σ p·ln(p/q) of the
    /// normalized distributions. Bin 0 is first set to bin 1's count, so the
    /// spike of exact zeros after ReLU does not dominate. Returns the curve and the index of
    /// the cheapest candidate (the last on ties: the widest range among equals). Candidates
    /// start at no fewer bins than codes.
    public static func entropy(_ histogram: AbsoluteValueHistogram, bits: Int,
                               startBin: Int) -> (curve: [SearchPoint], best: Int) {
        var counts = histogram.counts.map(Double.init)
        if counts.count > 1 { counts[0] = counts[1] }
        let w = Double(histogram.binWidth)
        let groups = Self.levels(bits: bits, nonNegative: histogram.isNonNegative) + 1
        var suffix = [Double](repeating: 0, count: counts.count + 1)
        for i in stride(from: counts.count - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + counts[i] }
        var curve: [SearchPoint] = []
        var best = 0
        var p = [Double](), q = [Double]()
        // At least one bin per code, so that merging actually loses something.
        for i in candidateRange(binCount: counts.count, startBin: max(startBin, groups)) {
            p = Array(counts[0..<i])
            p[i - 1] += suffix[i]
            q = [Double](repeating: 0, count: i)
            // Group g holds bins j with ⌊j·groups/i⌋ = g (i ≥ groups: every group non-empty).
            var start = 0
            while start < i {
                let group = start * groups / i
                var end = start
                var sum = 0.0, nonEmpty = 0
                while end < i && end * groups / i == group {
                    if counts[end] > 0 { sum += counts[end]; nonEmpty += 1 }
                    end += 1
                }
                if nonEmpty > 0 {
                    for j in start..<end where counts[j] > 0 { q[j] = sum / Double(nonEmpty) }
                }
                start = end
            }
            let cost = klDivergence(smoothed(p), smoothed(q))
            curve.append(SearchPoint(threshold: Float(Double(i) * w), cost: cost))
            if cost <= curve[best].cost { best = curve.count - 1 }
        }
        return (curve, best)
    }

    /// `counts` with every zero raised to ε and the non-zero entries lowered by an equal share
    /// of the total added, keeping the sum; unchanged when that would make an entry negative.
    static func smoothed(_ counts: [Double], epsilon: Double = 1e-4) -> [Double] {
        let zeros = counts.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        let nonZeros = counts.count - zeros
        guard zeros > 0, nonZeros > 0 else { return counts }
        let taken = epsilon * Double(zeros) / Double(nonZeros)
        guard counts.allSatisfy({ $0 == 0 || $0 > taken }) else { return counts }
        return counts.map { $0 == 0 ? epsilon : $0 - taken }
    }

    /// KL(P ‖ Q) after normalizing both to sum 1; terms with p = 0 contribute 0.
    static func klDivergence(_ p: [Double], _ q: [Double]) -> Double {
        let sp = p.reduce(0, +), sq = q.reduce(0, +)
        guard sp > 0 else { return 0 }
        guard sq > 0 else { return .infinity }
        var kl = 0.0
        for (pi, qi) in zip(p, q) where pi > 0 {
            guard qi > 0 else { return .infinity }
            let a = pi / sp, b = qi / sq
            kl += a * log(a / b)
        }
        return kl
    }

    /// Candidate bin counts: `startBin` (at least 1) through the number of bins; all bins
    /// when there are fewer than `startBin`.
    static func candidateRange(binCount: Int, startBin: Int) -> ClosedRange<Int> {
        let first = min(max(1, startBin), binCount)
        return first...binCount
    }
}
