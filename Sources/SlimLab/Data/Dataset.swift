import SlimKernels

/// A labeled set of samples: one row of `features` per sample, one class index per sample.
///
/// Images are stored flattened in row-major order; `sampleShape` says how to view one row
/// (`[64]` for a feature vector, `[1, 8, 8]` for an 8×8 grayscale digit, as channels×height×width).
public struct Dataset: Sendable {
    /// A short name for messages and tables ("digits", "iris", a file's base name).
    public var name: String
    /// The samples, shape `[count, featureCount]`.
    public var features: Tensor<Float>
    /// The class index of each sample, each in `0..<classNames.count`.
    public var labels: [Int]
    /// The shape of one sample, whose product is `featureCount`.
    public var sampleShape: [Int]
    /// The feature (column) names, `featureCount` of them.
    public var featureNames: [String]
    /// The class names, indexed by label.
    public var classNames: [String]

    public init(name: String, features: Tensor<Float>, labels: [Int], sampleShape: [Int],
                featureNames: [String], classNames: [String]) {
        precondition(features.rank == 2 && features.shape[0] == labels.count,
                     "Dataset: features \(features.shape) do not match \(labels.count) labels")
        precondition(sampleShape.reduce(1, *) == features.shape[1],
                     "Dataset: sample shape \(sampleShape) does not match \(features.shape[1]) features")
        self.name = name
        self.features = features
        self.labels = labels
        self.sampleShape = sampleShape
        self.featureNames = featureNames
        self.classNames = classNames
    }

    public var count: Int { labels.count }
    public var featureCount: Int { features.shape[1] }
    public var classCount: Int { classNames.count }
}

/// A dataset split into a training part and a test part, with the normalization fitted on
/// the training part only and applied to both.
public struct DatasetSplit: Sendable {
    public var train: Dataset
    public var test: Dataset
    /// How features were normalized, for showing and for normalizing new samples the same way.
    public var normalization: Normalization

    public init(train: Dataset, test: Dataset, normalization: Normalization) {
        self.train = train
        self.test = test
        self.normalization = normalization
    }
}

/// A per-feature affine map x′ = (x − shift) / scale, fitted on training data.
public struct Normalization: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        case standard, minmax, none
    }
    public var method: Method
    /// Per feature: the mean (standard) or the minimum (minmax) or 0 (none).
    public var shift: [Float]
    /// Per feature: the standard deviation (standard) or max − min (minmax) or 1 (none);
    /// 1 where that would be 0, so constant features map to 0 instead of NaN.
    public var scale: [Float]

    public init(method: Method, shift: [Float], scale: [Float]) {
        self.method = method
        self.shift = shift
        self.scale = scale
    }
}
