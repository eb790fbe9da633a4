/// A running average of each batch's min and max (PyTorch's `MovingAverageMinMaxObserver`):
///
///     min ← min + c·(batch min − min),   max ← max + c·(batch max − max)
///
/// starting from the first batch's extremes. With c = 0.01 one batch with an outlier moves
/// the range by only 1 % of the excursion, so rare extremes are mostly clipped.
public struct MovingAverageMinMaxObserver: ActivationObserver {
    public var method: CalibrationMethod { .movingavg }
    public let constant: Float
    public private(set) var runningMin: Float = 0
    public private(set) var runningMax: Float = 0
    public private(set) var batches = 0
    private var histogram: AbsoluteValueHistogram

    public init(constant: Float = 0.01, histogramBins: Int = 2048) {
        precondition(constant > 0 && constant <= 1, "MovingAverageMinMaxObserver: c = \(constant) must be in (0, 1]")
        self.constant = constant
        histogram = AbsoluteValueHistogram(initialBins: histogramBins)
    }

    public mutating func observe(_ values: UnsafeBufferPointer<Float>) {
        let (lo, hi) = minMax(values)
        guard values.contains(where: { !$0.isNaN }) else { return }
        if batches == 0 {
            runningMin = lo
            runningMax = hi
        } else {
            runningMin += constant * (lo - runningMin)
            runningMax += constant * (hi - runningMax)
        }
        batches += 1
        histogram.add(values)
    }

    public func result() throws(QuantizationError) -> CalibrationResult {
        guard batches > 0 else { throw .nothingObserved(method.rawValue) }
        let threshold = Swift.max(abs(runningMin), abs(runningMax))
        return CalibrationResult(
            method: method, observedCount: histogram.total, observedMin: histogram.minimum,
            observedMax: histogram.maximum, min: runningMin, max: runningMax,
            formula: Formula(symbol: "[min, max]",
                             symbolic: "min <- min + c·(batch min - min), max <- max + c·(batch max - max)",
                             template: "c = {0} over {1} batches: [{2}, {3}]",
                             values: [.real(Double(constant)), .integer(batches), .real(Double(runningMin)),
                                      .real(Double(runningMax))],
                             result: .real(Double(runningMax - runningMin))),
            clippedFraction: histogram.fractionAbove(threshold))
    }
}
