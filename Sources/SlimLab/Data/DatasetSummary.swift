import SlimKernels

/// Which part of a split a sample belongs to.
public enum DatasetPart: String, Sendable, CaseIterable {
    case train, test
}

/// What `data info` shows about a loaded split, as values: SlimREPL lays them out.
public struct DatasetSummary: Sendable, Equatable {
    /// One class's sample counts.
    public struct ClassCount: Sendable, Equatable {
        public var label: Int
        public var name: String
        public var train: Int
        public var test: Int
        /// Held out of training for validation (0 without a validation part).
        public var validation: Int = 0
        public var total: Int { train + test + validation }
    }

    /// One feature's values as loaded (before normalization), over all samples, and the range
    /// it has after normalization on the training part (what the network sees).
    public struct FeatureRange: Sendable, Equatable {
        public var name: String
        public var min: Float
        public var max: Float
        public var mean: Float
        public var normalizedMin: Float
        public var normalizedMax: Float
    }

    public var name: String
    public var sampleShape: [Int]
    public var featureCount: Int
    public var trainCount: Int
    public var testCount: Int
    /// The validation part's samples (0 without one).
    public var validationCount: Int = 0
    public var classes: [ClassCount]
    public var normalization: Normalization.Method
    /// The split's test fraction and seed, when it was made by ``Dataset/split(testFraction:seed:normalization:)``.
    public var testFraction: Double?
    public var seed: UInt64?
    public var features: [FeatureRange]
    /// The smallest and largest value of any feature as loaded.
    public var valueRange: ClosedRange<Float>
    /// Features that are constant over the training part (their scale was set to 1).
    public var constantFeatures: [String]

    public var count: Int { trainCount + testCount + validationCount }
}

extension DatasetSplit {
    /// The counts and ranges `data info` shows.
    public var summary: DatasetSummary {
        let width = train.featureCount
        var low = [Float](repeating: .infinity, count: width)
        var high = [Float](repeating: -.infinity, count: width)
        var sum = [Double](repeating: 0, count: width)
        var normalizedLow = [Float](repeating: .infinity, count: width)
        var normalizedHigh = [Float](repeating: -.infinity, count: width)
        var constant = [Bool](repeating: true, count: width)
        for raw in [rawTrainFeatures, rawTestFeatures] {
            raw.withUnsafeBufferPointer { x in
                for i in 0..<raw.shape[0] {
                    for j in 0..<width {
                        let value = x[i * width + j]
                        low[j] = Swift.min(low[j], value)
                        high[j] = Swift.max(high[j], value)
                        sum[j] += Double(value)
                    }
                }
            }
        }
        rawTrainFeatures.withUnsafeBufferPointer { x in
            for i in 1..<Swift.max(train.count, 1) {
                for j in 0..<width where x[i * width + j] != x[j] { constant[j] = false }
            }
        }
        train.features.withUnsafeBufferPointer { x in
            for i in 0..<train.count {
                for j in 0..<width {
                    normalizedLow[j] = Swift.min(normalizedLow[j], x[i * width + j])
                    normalizedHigh[j] = Swift.max(normalizedHigh[j], x[i * width + j])
                }
            }
        }
        let total = Double(train.count + test.count)
        let features = (0..<width).map { j in
            DatasetSummary.FeatureRange(name: train.featureNames[j], min: low[j], max: high[j],
                                        mean: Float(sum[j] / total),
                                        normalizedMin: normalizedLow[j], normalizedMax: normalizedHigh[j])
        }
        let trainCounts = train.classCounts, testCounts = test.classCounts
        let validationCounts = validation?.classCounts
        let classes = train.classNames.indices.map { label in
            DatasetSummary.ClassCount(label: label, name: train.classNames[label],
                                      train: trainCounts[label], test: testCounts[label],
                                      validation: validationCounts?[label] ?? 0)
        }
        var summary = DatasetSummary(
            name: train.name, sampleShape: train.sampleShape, featureCount: width,
            trainCount: train.count, testCount: test.count, classes: classes,
            normalization: normalization.method, testFraction: testFraction, seed: seed, features: features,
            valueRange: (low.min() ?? 0)...(high.max() ?? 0),
            constantFeatures: train.count > 0 ? (0..<width).filter { constant[$0] }.map { train.featureNames[$0] } : [])
        summary.validationCount = validation?.count ?? 0
        return summary
    }
}
