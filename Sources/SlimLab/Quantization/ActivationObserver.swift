import SlimKernels

/// How an activation's quantization range is chosen from calibration data.
///
/// | method | range | as in |
/// | --- | --- | --- |
/// | `minmax` | [min x, max x] over all batches | PyTorch `MinMaxObserver` |
/// | `movingavg` | min ← min + c·(batch min − min), same for max, c = 0.01 | PyTorch `MovingAverageMinMaxObserver` |
/// | `percentile` | ±T with T the 99.99th percentile of \|x\| | TensorRT / pytorch-quantization |
/// | `mse` | ±T minimizing the quantization MSE of the \|x\| histogram | pytorch-quantization |
/// | `entropy` | ±T minimizing KL(P ‖ Q) between the \|x\| histogram and its quantized version | TensorRT's entropy calibrator |
///
/// The clipping methods choose a threshold T on |x| and clip the observed range to
/// [max(min x, −T), min(max x, T)], so post-ReLU activations get [0, T].
///
/// `percentile` is the default: on the digits MLP min-max loses about 0.4 points at int8
/// (standardized inputs have rare large values that stretch the input grid), while the
/// clipping methods lose none.
public enum CalibrationMethod: String, CaseIterable, Sendable {
    case minmax
    case movingavg
    case percentile
    case mse
    case entropy
}

/// Knobs of the observers, with the defaults of the tools they follow.
public struct CalibrationSettings: Sendable, Equatable {
    public var method: CalibrationMethod
    /// The activation code width the range is chosen for (the search methods depend on it).
    public var bits: Int
    /// The percentile of |x| kept by `percentile`, in (0, 100].
    public var percentile: Double
    /// The averaging constant c of `movingavg`.
    public var movingAverageConstant: Float
    /// Histogram bins over [0, max|x|] of the first batch (TensorRT uses 2048).
    public var histogramBins: Int
    /// The smallest candidate of the mse and entropy searches, in bins (TensorRT: 128).
    public var searchStartBin: Int

    public init(method: CalibrationMethod = .percentile, bits: Int = 8, percentile: Double = 99.99,
                movingAverageConstant: Float = 0.01, histogramBins: Int = 2048, searchStartBin: Int = 128) {
        self.method = method
        self.bits = bits
        self.percentile = percentile
        self.movingAverageConstant = movingAverageConstant
        self.histogramBins = histogramBins
        self.searchStartBin = searchStartBin
    }

    /// Checks the values a user may set, with a message naming the bad one.
    public func validated() throws(QuantizationError) -> CalibrationSettings {
        _ = try IntegerRange(bits: bits, scheme: .affine)
        guard percentile > 0 && percentile <= 100 else { throw .invalidPercentile(percentile) }
        guard movingAverageConstant > 0 && movingAverageConstant <= 1 else {
            throw .invalidArgument(name: "c", value: "\(movingAverageConstant)", allowed: "a value in (0, 1]")
        }
        guard histogramBins >= 16 else {
            throw .invalidArgument(name: "bins", value: "\(histogramBins)", allowed: "at least 16")
        }
        return self
    }
}

/// One point of a clipping search: a candidate threshold and its cost (MSE or KL divergence).
public struct SearchPoint: Sendable, Equatable {
    public var threshold: Float
    public var cost: Double

    public init(threshold: Float, cost: Double) {
        self.threshold = threshold
        self.cost = cost
    }
}

/// The range an observer chose, with how it got there.
public struct CalibrationResult: Sendable, Equatable {
    public var method: CalibrationMethod
    /// How many values the observer saw.
    public var observedCount: Int
    /// The extremes of everything observed.
    public var observedMin: Float
    public var observedMax: Float
    /// The chosen range.
    public var min: Float
    public var max: Float
    /// The threshold on |x| of the clipping methods.
    public var threshold: Float?
    /// The cost of every candidate threshold (mse and entropy), in increasing threshold order.
    public var searchCurve: [SearchPoint]
    /// How the range was obtained, with the numbers.
    public var formula: Formula
    /// The fraction of observed values beyond the chosen range (from the |x| histogram).
    public var clippedFraction: Double

    public init(method: CalibrationMethod, observedCount: Int, observedMin: Float, observedMax: Float,
                min: Float, max: Float, threshold: Float? = nil, searchCurve: [SearchPoint] = [],
                formula: Formula, clippedFraction: Double) {
        self.method = method
        self.observedCount = observedCount
        self.observedMin = observedMin
        self.observedMax = observedMax
        self.min = min
        self.max = max
        self.threshold = threshold
        self.searchCurve = searchCurve
        self.formula = formula
        self.clippedFraction = clippedFraction
    }
}

/// Watches the values of one activation over calibration batches and then proposes its
/// quantization range.
public protocol ActivationObserver: Sendable {
    /// The method the observer implements.
    var method: CalibrationMethod { get }
    /// Takes one batch of values into account.
    mutating func observe(_ values: UnsafeBufferPointer<Float>)
    /// The chosen range, or an error when nothing was observed.
    func result() throws(QuantizationError) -> CalibrationResult
}

extension ActivationObserver {
    /// Takes one batch (any shape) into account.
    public mutating func observe(_ batch: Tensor<Float>) {
        batch.withUnsafeBufferPointer { observe($0) }
    }
}

/// A fresh observer for `settings.method`.
public func makeObserver(_ settings: CalibrationSettings) -> any ActivationObserver {
    switch settings.method {
    case .minmax: return MinMaxObserver(histogramBins: settings.histogramBins)
    case .movingavg: return MovingAverageMinMaxObserver(constant: settings.movingAverageConstant,
                                                        histogramBins: settings.histogramBins)
    case .percentile, .mse, .entropy: return HistogramObserver(settings: settings)
    }
}
