/// The clipping observers (`percentile`, `mse`, `entropy`): they collect a histogram of |x|
/// over the calibration batches, then choose a threshold T on it and clip the observed range
/// to [max(min x, −T), min(max x, T)].
public struct HistogramObserver: ActivationObserver {
    public let settings: CalibrationSettings
    public private(set) var histogram: AbsoluteValueHistogram

    public var method: CalibrationMethod { settings.method }

    public init(settings: CalibrationSettings) {
        precondition([.percentile, .mse, .entropy].contains(settings.method),
                     "HistogramObserver: \(settings.method) is not a histogram method")
        self.settings = settings
        self.histogram = AbsoluteValueHistogram(initialBins: settings.histogramBins)
    }

    public mutating func observe(_ values: UnsafeBufferPointer<Float>) {
        histogram.add(values)
    }

    public func result() throws(QuantizationError) -> CalibrationResult {
        guard histogram.total > 0 else { throw .nothingObserved(method.rawValue) }
        let lo = histogram.minimum, hi = histogram.maximum
        guard !histogram.isAllZero else {
            return CalibrationResult(method: method, observedCount: histogram.total, observedMin: lo, observedMax: hi,
                                     min: 0, max: 0, threshold: 0,
                                     formula: Formula(symbol: "T", symbolic: "every observed value is 0",
                                                      template: "0", values: [], result: .real(0)),
                                     clippedFraction: 0)
        }
        let threshold: Float
        var curve: [SearchPoint] = []
        let formula: Formula
        switch method {
        case .percentile:
            threshold = percentileThreshold(settings.percentile)
            formula = Formula(symbol: "T", symbolic: "P_\(formatReal(settings.percentile, digits: 6))(|x|), the upper edge of its histogram bin",
                              template: "P_{0}(|x|) over {1} values", values: [.real(settings.percentile), .integer(histogram.total)],
                              result: .real(Double(threshold)))
        case .mse:
            let search = ClippingSearch.meanSquaredError(histogram, bits: settings.bits, startBin: settings.searchStartBin)
            curve = search.curve
            threshold = curve[search.best].threshold
            formula = Formula(symbol: "T", symbolic: "argmin_T Σ n_i·(c_i - Q_T(c_i))² / Σ n_i",
                              template: "{0} candidates, minimum MSE {1}",
                              values: [.integer(curve.count), .real(curve[search.best].cost)],
                              result: .real(Double(threshold)))
        case .entropy:
            let search = ClippingSearch.entropy(histogram, bits: settings.bits, startBin: settings.searchStartBin)
            curve = search.curve
            threshold = curve[search.best].threshold
            formula = Formula(symbol: "T", symbolic: "argmin_T KL(P || Q_T)",
                              template: "{0} candidates, minimum KL {1}",
                              values: [.integer(curve.count), .real(curve[search.best].cost)],
                              result: .real(Double(threshold)))
        case .minmax, .movingavg:
            preconditionFailure("HistogramObserver: \(method) is not a histogram method")
        }
        return CalibrationResult(method: method, observedCount: histogram.total, observedMin: lo, observedMax: hi,
                                 min: Swift.max(lo, -threshold), max: Swift.min(hi, threshold), threshold: threshold,
                                 searchCurve: curve, formula: formula,
                                 clippedFraction: histogram.fractionAbove(threshold))
    }

    /// The upper edge of the first bin at which the cumulative share of |x| reaches p %.
    func percentileThreshold(_ p: Double) -> Float {
        let target = p / 100 * Double(histogram.total)
        var cumulative = 0
        for (i, n) in histogram.counts.enumerated() {
            cumulative += n
            if Double(cumulative) >= target { return histogram.binWidth * Float(i + 1) }
        }
        return histogram.upperEdge
    }
}
