/// The range [min x, max x] of everything observed (PyTorch's `MinMaxObserver`): nothing is
/// clipped, so one outlier widens the step for every other value.
public struct MinMaxObserver: ActivationObserver {
    public var method: CalibrationMethod { .minmax }
    private var histogram: AbsoluteValueHistogram

    public init(histogramBins: Int = 2048) {
        histogram = AbsoluteValueHistogram(initialBins: histogramBins)
    }

    public mutating func observe(_ values: UnsafeBufferPointer<Float>) {
        histogram.add(values)
    }

    public func result() throws(QuantizationError) -> CalibrationResult {
        guard histogram.total > 0 else { throw .nothingObserved(method.rawValue) }
        let lo = histogram.minimum, hi = histogram.maximum
        return CalibrationResult(
            method: method, observedCount: histogram.total, observedMin: lo, observedMax: hi, min: lo, max: hi,
            formula: Formula(symbol: "[min, max]", symbolic: "[min x, max x] over all calibration batches",
                             template: "[{0}, {1}]", values: [.real(Double(lo)), .real(Double(hi))],
                             result: .real(Double(hi - lo))),
            clippedFraction: 0)
    }
}
