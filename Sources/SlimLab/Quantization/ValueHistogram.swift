import SlimKernels

/// Counts of values in equal-width bins over [lower, upper], binned by SlimKernels' `histogram`
/// with its one rule (NumPy's): bin i holds edges[i] ≤ x < edges[i+1], the last bin also holds
/// `upper`; values outside [lower, upper] and NaN are not counted. A range of one point
/// (lower = upper) is one bin holding the values equal to it.
public struct ValueHistogram: Sendable, Equatable {
    public var lower: Float
    public var upper: Float
    public var counts: [Int]

    public init(lower: Float, upper: Float, counts: [Int]) {
        self.lower = lower
        self.upper = upper
        self.counts = counts
    }

    /// The histogram of `values` in `binCount` bins spanning their own range (NaN skipped).
    public init(values: UnsafeBufferPointer<Float>, binCount: Int) {
        precondition(binCount > 0, "ValueHistogram: binCount \(binCount) must be positive")
        let (lo, hi) = minMax(values)
        self.init(values: values, binCount: binCount, lower: lo, upper: hi)
    }

    /// The histogram of `values` in `binCount` bins over [lower, upper].
    public init(values: UnsafeBufferPointer<Float>, binCount: Int, lower: Float, upper: Float) {
        precondition(binCount > 0, "ValueHistogram: binCount \(binCount) must be positive")
        var counts = [Int](repeating: 0, count: binCount)
        if lower < upper && lower.isFinite && upper.isFinite {
            counts = histogram(values, bins: binCount, lower: lower, upper: upper).counts
        } else {
            counts[0] = values.reduce(0) { $0 + ($1 == lower ? 1 : 0) }
        }
        self.init(lower: lower, upper: upper, counts: counts)
    }

    public var binCount: Int { counts.count }
    public var binWidth: Float { (upper - lower) / Float(max(1, counts.count)) }
    public var total: Int { counts.reduce(0, +) }

    /// The bin `value` falls in, by the same rule; nil outside [lower, upper].
    public func bin(of value: Float) -> Int? {
        guard lower < upper && lower.isFinite && upper.isFinite else { return value == lower ? 0 : nil }
        return uniformBinEdges(bins: binCount, lower: lower, upper: upper).withUnsafeBufferPointer {
            histogramBin(of: value, edges: $0)
        }
    }
}

/// A tensor's values with the quantization grid drawn over them: which real numbers the
/// codes can represent, against where the values actually lie.
public struct GridOverlay: Sendable, Equatable {
    /// What the histogram covers ("fc1.weight", "fc1.weight channel 3").
    public var scope: String
    public var histogram: ValueHistogram
    /// The representable reals s·(q − z), q_min…q_max.
    public var gridValues: [Float]
    /// For each bin, how many grid values fall in it.
    public var gridPointsPerBin: [Int]

    public init(scope: String, values: UnsafeBufferPointer<Float>, parameters: QuantizationParameters, binCount: Int) {
        let (lo, hi) = minMax(values)
        let grid = parameters.gridValues
        // Span both the values and the grid's range, so clipped values and unused codes show.
        let lower = min(lo, max(grid.first ?? lo, lo - (hi - lo)))
        let upper = max(hi, min(grid.last ?? hi, hi + (hi - lo)))
        let histogram = ValueHistogram(values: values, binCount: binCount, lower: lower, upper: upper)
        var perBin = [Int](repeating: 0, count: binCount)
        for g in grid { if let bin = histogram.bin(of: g) { perBin[bin] += 1 } }
        self.scope = scope
        self.histogram = histogram
        self.gridValues = grid
        self.gridPointsPerBin = perBin
    }
}
