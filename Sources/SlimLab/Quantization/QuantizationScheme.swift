/// How real numbers map onto the integer grid.
///
/// - `symmetric`: zero point 0, the grid centered on 0 over the restricted range
///   [−(2^(b−1) − 1), 2^(b−1) − 1] (TFLite's convention for int8 weights): one code is given
///   up so that +x and −x quantize to ±q exactly.
/// - `affine` (asymmetric): a zero point shifts the grid so that [min, max] uses the full
///   range [−2^(b−1), 2^(b−1) − 1]; what post-ReLU activations (all ≥ 0) want.
public enum QuantizationScheme: String, CaseIterable, Sendable {
    case symmetric
    case affine
}

/// Which elements share one scale and zero point.
///
/// - `tensor`: one pair for the whole tensor.
/// - `channel`: one pair per output channel (axis 0 of a `[out, in]` Dense weight or an
///   `[out, in, kh, kw]` convolution kernel), so a channel of small weights keeps its resolution.
public enum QuantizationGranularity: String, CaseIterable, Sendable {
    case tensor
    case channel
}

/// The integer range [q_min, q_max] of a `bits`-wide code under a scheme.
public struct IntegerRange: Sendable, Equatable {
    /// The smallest bit width accepted (ternary, with the symmetric scheme).
    public static let minimumBits = 2
    /// The largest bit width accepted (codes are stored in `Int8`).
    public static let maximumBits = 8

    public let bits: Int
    public let qmin: Int
    public let qmax: Int

    /// The range of `bits`-bit codes under `scheme`: [−(2^(b−1) − 1), 2^(b−1) − 1] for
    /// symmetric, [−2^(b−1), 2^(b−1) − 1] for affine.
    public init(bits: Int, scheme: QuantizationScheme) throws(QuantizationError) {
        guard (Self.minimumBits...Self.maximumBits).contains(bits) else {
            throw .unsupportedBits(bits)
        }
        self.bits = bits
        let half = 1 << (bits - 1)
        self.qmax = half - 1
        self.qmin = scheme == .symmetric ? -(half - 1) : -half
    }

    /// An explicit range, for conventions that differ from SlimLab's (PyTorch's symmetric
    /// int8 keeps −128).
    public init(bits: Int, qmin: Int, qmax: Int) {
        precondition(qmin < qmax, "IntegerRange: q_min \(qmin) must be below q_max \(qmax)")
        self.bits = bits
        self.qmin = qmin
        self.qmax = qmax
    }

    /// The number of distinct codes.
    public var levelCount: Int { qmax - qmin + 1 }
}

/// Why a quantization request was refused.
public enum QuantizationError: Error, CustomStringConvertible, Equatable {
    case unsupportedBits(Int)
    case nonFiniteRange(min: Float, max: Float)
    case invertedRange(min: Float, max: Float)
    case channelAxisMissing(shape: [Int])
    case blockSizeMismatch(count: Int, blockSize: Int)
    /// No weight of the model could be stored in a block format; each with the reason.
    case noWeightInBlocks(format: String, reasons: [String])
    case emptyTensor(String)
    case invalidPercentile(Double)
    case nothingObserved(String)
    case invalidArgument(name: String, value: String, allowed: String)
    case unsupportedLayer(name: String, kind: String, allowed: String)
    case noCalibrationData
    /// The model does not take the data's samples (see `Model.checkCompatible`).
    case dataMismatch(String)
    case interrupted

    public var description: String {
        switch self {
        case .unsupportedBits(let bits):
            return "bits=\(bits) is not supported: use \(IntegerRange.minimumBits) to \(IntegerRange.maximumBits)"
        case .nonFiniteRange(let min, let max):
            return "the range [\(min), \(max)] is not finite: the tensor holds NaN or infinity"
        case .invertedRange(let min, let max):
            return "the range [\(min), \(max)] is inverted: min must not exceed max"
        case .channelAxisMissing(let shape):
            return "per-channel quantization needs an output-channel axis, but the shape is \(shape)"
        case .blockSizeMismatch(let count, let blockSize):
            return "\(count) elements do not split into blocks of \(blockSize): the count must be a multiple of \(blockSize)"
        case .noWeightInBlocks(let format, let reasons):
            return "no weight could be stored in \(format): " + reasons.joined(separator: "; ")
        case .emptyTensor(let name):
            return "\(name) is empty: there is nothing to quantize"
        case .invalidPercentile(let p):
            return "percentile=\(p) is out of range: use a value in (0, 100]"
        case .nothingObserved(let name):
            return "the observer \(name) has seen no values: run calibration data through it first"
        case .invalidArgument(let name, let value, let allowed):
            return "\(name)=\(value) is not allowed: use \(allowed)"
        case .unsupportedLayer(let name, let kind, let allowed):
            return "layer \(name) (\(kind)) cannot run on the int8 engine: it runs \(allowed); use weights-only=yes for this model"
        case .dataMismatch(let message):
            return message
        case .noCalibrationData:
            return "static quantization needs calibration data: load a dataset first (data load NAME)"
        case .interrupted:
            return "stopped: the quantization was interrupted before it finished; no variant was made"
        }
    }
}
