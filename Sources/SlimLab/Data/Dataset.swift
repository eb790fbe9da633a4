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

/// A dataset split into a training part and a test part (and, when asked for, a validation
/// part), with the normalization fitted on the training part only and applied to every part.
public struct DatasetSplit: Sendable {
    public var train: Dataset
    public var test: Dataset
    /// Samples held out of the training set (`data load … val=0.1`), stratified, never trained
    /// on: the part to choose settings on (`search`), so the test set stays unseen until the
    /// end. `nil` when none was asked for.
    public var validation: Dataset?
    /// The share of the training set held out as `validation` (`nil` without one).
    public var validationFraction: Double?
    /// How features were normalized, for showing and for normalizing new samples the same way.
    public var normalization: Normalization
    /// The training samples as loaded, before normalization (same order as `train`), for
    /// showing a sample as it was (a digit's pixels 0–16) rather than as the network sees it.
    public var rawTrainFeatures: Tensor<Float>
    /// The test samples as loaded, before normalization (same order as `test`).
    public var rawTestFeatures: Tensor<Float>
    /// The test fraction the split was made with (`nil` for a set's official test set, or if
    /// it was assembled by hand).
    public var testFraction: Double?
    /// The seed the split was made with (`nil` if it was assembled by hand).
    public var seed: UInt64?

    /// A split of already normalized parts. Without the raw features, they are recovered
    /// through the inverse map x = x′ · scale + shift (exact up to Float rounding).
    public init(train: Dataset, test: Dataset, normalization: Normalization,
                rawTrainFeatures: Tensor<Float>? = nil, rawTestFeatures: Tensor<Float>? = nil,
                testFraction: Double? = nil, seed: UInt64? = nil,
                validation: Dataset? = nil, validationFraction: Double? = nil) {
        self.train = train
        self.test = test
        self.validation = validation
        self.validationFraction = validationFraction
        self.normalization = normalization
        self.testFraction = testFraction
        self.seed = seed
        self.rawTrainFeatures = rawTrainFeatures ?? normalization.inverted(train.features)
        self.rawTestFeatures = rawTestFeatures ?? normalization.inverted(test.features)
        precondition(self.rawTrainFeatures.shape == train.features.shape
                     && self.rawTestFeatures.shape == test.features.shape,
                     "DatasetSplit: raw features must have the shapes of the parts")
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

extension Dataset {
    /// The samples at `indices`, in that order, as a new dataset with the same names.
    public func subset(_ indices: [Int]) -> Dataset {
        let width = featureCount
        let rows = Tensor<Float>(shape: [indices.count, width]) { output in
            features.withUnsafeBufferPointer { input in
                for (row, index) in indices.enumerated() {
                    precondition(index >= 0 && index < count, "Dataset.subset: index \(index) out of range 0..<\(count)")
                    for j in 0..<width { output[row * width + j] = input[index * width + j] }
                }
            }
        }
        return Dataset(name: name, features: rows, labels: indices.map { labels[$0] },
                       sampleShape: sampleShape, featureNames: featureNames, classNames: classNames)
    }

    /// How many samples each class has, indexed by label.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// Sample `index`'s feature row.
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < count, "Dataset.row: index \(index) out of range 0..<\(count)")
        return features.withUnsafeBufferPointer { Array($0[index * featureCount ..< (index + 1) * featureCount]) }
    }
}
