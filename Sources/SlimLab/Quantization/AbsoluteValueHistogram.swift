/// A streaming histogram of |x| with fixed-width bins from 0, grown as larger values arrive —
/// the collector of TensorRT's calibrators.
///
/// The bin width is fixed by the first batch with a non-zero value (its max|x| / `initialBins`);
/// a later batch with a larger |x| appends bins of the same width, so no count ever moves.
/// Bin i holds i·w ≤ |x| < (i+1)·w; the last bin also holds its upper edge. It also tracks the
/// signed extremes, which the clipped range must stay inside.
public struct AbsoluteValueHistogram: Sendable, Equatable {
    public private(set) var counts: [Int] = []
    /// The bin width; 0 until a non-zero value arrives.
    public private(set) var binWidth: Float = 0
    public private(set) var total = 0
    public private(set) var minimum = Float.infinity
    public private(set) var maximum = -Float.infinity
    private var pendingZeros = 0
    public let initialBins: Int

    public init(initialBins: Int = 2048) {
        precondition(initialBins > 0, "AbsoluteValueHistogram: initialBins \(initialBins) must be positive")
        self.initialBins = initialBins
    }

    /// Counts the non-NaN values of a batch.
    public mutating func add(_ values: UnsafeBufferPointer<Float>) {
        var batchMax: Float = 0
        var seen = 0
        for v in values where !v.isNaN {
            batchMax = max(batchMax, abs(v))
            minimum = min(minimum, v)
            maximum = max(maximum, v)
            seen += 1
        }
        total += seen
        if binWidth == 0 {
            guard batchMax > 0, batchMax.isFinite else {
                pendingZeros += seen
                return
            }
            binWidth = batchMax / Float(initialBins)
            counts = [Int](repeating: 0, count: initialBins)
            counts[0] += pendingZeros
            pendingZeros = 0
        }
        if batchMax > upperEdge, batchMax.isFinite {
            let needed = Int((batchMax / binWidth).rounded(.up))
            if needed > counts.count { counts += [Int](repeating: 0, count: needed - counts.count) }
        }
        for v in values where !v.isNaN { counts[bin(of: abs(v))] += 1 }
    }

    /// The bin of a magnitude (beyond the last edge: the last bin).
    public func bin(of magnitude: Float) -> Int {
        let i = (magnitude / binWidth).rounded(.down)
        return i >= Float(counts.count - 1) ? counts.count - 1 : Swift.max(0, Int(i))
    }

    public var binCount: Int { counts.count }
    /// The upper edge of the last bin (0 before the width is known).
    public var upperEdge: Float { binWidth * Float(counts.count) }
    /// Whether every value observed was ≥ 0 (post-ReLU), so the grid can be unsigned.
    public var isNonNegative: Bool { minimum >= 0 }
    /// Whether only zeros were seen (no width yet).
    public var isAllZero: Bool { binWidth == 0 }

    /// The fraction of values with |x| beyond `threshold` (whole bins above it).
    public func fractionAbove(_ threshold: Float) -> Double {
        guard total > 0, binWidth > 0 else { return 0 }
        let first = Int((threshold / binWidth).rounded(.up))
        guard first < counts.count else { return 0 }
        return Double(counts[Swift.max(0, first)...].reduce(0, +)) / Double(total)
    }
}
