import SlimKernels

/// The numbers `show TENSOR` prints under a tensor: shape, dtype, range, mean, spread, the
/// share of exact zeros (what pruning creates) and a histogram of the values.
public struct TensorStatistics: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var dtype: TensorDType
    public var count: Int
    public var minimum: Float
    public var maximum: Float
    public var mean: Float
    /// The population standard deviation √((1/n)·Σ(x − mean)²).
    public var standardDeviation: Float
    /// Entries exactly equal to 0.
    public var zeroCount: Int
    /// Equal-width bins over [minimum, maximum] (a single value gets a bin of width 1 around it).
    public var histogram: ValueHistogram

    /// The fraction of entries that are exactly 0.
    public var zeroFraction: Double { count == 0 ? 0 : Double(zeroCount) / Double(count) }

    public init(name: String, tensor: Tensor<Float>, dtype: TensorDType = .float32, bins: Int = 16) {
        precondition(bins >= 1, "TensorStatistics: bins must be ≥ 1, got \(bins)")
        let stats = tensor.statistics()
        self.name = name
        self.shape = tensor.shape
        self.dtype = dtype
        self.count = tensor.count
        self.minimum = tensor.count == 0 ? 0 : stats.minimum
        self.maximum = tensor.count == 0 ? 0 : stats.maximum
        self.mean = stats.mean
        self.standardDeviation = stats.standardDeviation
        self.zeroCount = tensor.withUnsafeBufferPointer { values in values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
        let (lower, upper) = minimum < maximum ? (minimum, maximum) : (minimum - 0.5, minimum + 0.5)
        self.histogram = tensor.withUnsafeBufferPointer {
            ValueHistogram(values: $0, binCount: bins, lower: lower, upper: upper)
        }
    }
}

/// A tensor found by name for `show`: its values, statistics, and where it came from.
public struct TensorInspection: Sendable {
    /// Where the tensor lives.
    public enum Source: Sendable, Equatable {
        /// A parameter of a variant (with its pruning mask, if any).
        case parameter(variant: String)
        /// An activation of the workspace's last trace.
        case activation(variant: String, dataset: String, sample: Int)
    }

    public var source: Source
    public var value: Tensor<Float>
    public var statistics: TensorStatistics
    /// The pruning mask of a parameter, when it has one.
    public var mask: Tensor<Float>?
}
