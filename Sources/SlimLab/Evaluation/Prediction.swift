import SlimKernels

/// One sample through a model: its logits, class probabilities and predicted class, with the
/// true label when known — the values behind `predict I`.
public struct Prediction: Sendable, Equatable {
    /// Which sample of which set (`test`, index 12), for titles.
    public var datasetName: String
    public var sampleIndex: Int
    public var trueLabel: Int?
    public var classNames: [String]
    public var logits: [Float]
    /// softmax(logits), summing to 1.
    public var probabilities: [Float]

    /// The class with the highest probability (the first on ties).
    public var predictedClass: Int {
        var best = 0
        for j in probabilities.indices where probabilities[j] > probabilities[best] { best = j }
        return best
    }

    /// Whether the prediction matches the true label (nil when the label is unknown).
    public var isCorrect: Bool? { trueLabel.map { $0 == predictedClass } }

    /// Classes by decreasing probability (ties in class order), for "top k" lists.
    public var ranking: [Int] {
        probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
    }
}

extension Model {
    /// The prediction for sample `index` of `dataset`.
    public func predict(sample index: Int, of dataset: Dataset, pool: ComputePool) throws -> Prediction {
        try checkCompatible(with: dataset)
        try Self.checkSampleIndex(index, in: dataset)
        let scores = logits(dataset.features.rows(index..<(index + 1)), pool: pool)
        let probabilities = SoftmaxCrossEntropy.probabilities(scores)
        return Prediction(datasetName: dataset.name, sampleIndex: index, trueLabel: dataset.labels[index],
                          classNames: dataset.classNames, logits: scores.scalars, probabilities: probabilities.scalars)
    }

    static func checkSampleIndex(_ index: Int, in dataset: Dataset) throws {
        guard index >= 0 && index < dataset.count else {
            throw EvaluationError.sampleOutOfRange(index: index, count: dataset.count, dataset: dataset.name)
        }
    }
}

/// What can go wrong asking for a sample or a tensor.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case sampleOutOfRange(index: Int, count: Int, dataset: String)

    public var description: String {
        switch self {
        case let .sampleOutOfRange(index, count, dataset):
            return count == 0
                ? "sample \(index) does not exist: '\(dataset)' is empty"
                : "sample \(index) does not exist: '\(dataset)' has samples 0 to \(count - 1)"
        }
    }
}
