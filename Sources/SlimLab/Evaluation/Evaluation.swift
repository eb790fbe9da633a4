import SlimKernels

/// How a model does on a labeled set: accuracy, per-class accuracy and the confusion matrix
/// (rows: true class, columns: predicted class), the values behind `eval`.
public struct Evaluation: Sendable, Equatable {
    public var datasetName: String
    public var classNames: [String]
    /// confusion[t][p]: samples of true class t predicted as p.
    public var confusion: [[Int]]
    /// The mean cross-entropy loss over the samples.
    public var loss: Double

    /// The number of samples.
    public var sampleCount: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Samples predicted correctly (the diagonal).
    public var correctCount: Int { confusion.indices.reduce(0) { $0 + confusion[$1][$1] } }
    /// The fraction predicted correctly (0 for an empty set).
    public var accuracy: Double { sampleCount == 0 ? 0 : Double(correctCount) / Double(sampleCount) }
    /// For every class, the fraction of its samples predicted correctly (recall), nil when the
    /// set has no sample of that class.
    public var perClassAccuracy: [Double?] {
        confusion.indices.map { t in
            let total = confusion[t].reduce(0, +)
            return total == 0 ? nil : Double(confusion[t][t]) / Double(total)
        }
    }
    /// Samples per true class.
    public var classCounts: [Int] { confusion.map { $0.reduce(0, +) } }
}

extension Model {
    /// Checks that the model takes this data's samples and has one output per class: the one
    /// check every command that runs a model on data goes through (directly or through
    /// `checkInput`), so a dataset changed after the model was made gives this error and
    /// never a crash in the kernels.
    public func checkCompatible(with dataset: Dataset) throws {
        guard dataset.featureCount == inputFeatureCount else {
            throw ModelError.dataMismatch(
                model: "takes \(inputFeatureCount) features per sample (\(TextExcerpt.plain(architecture.specification)))",
                data: "'\(dataset.name)' has \(dataset.featureCount)")
        }
        guard dataset.classCount == classCount else {
            throw ModelError.dataMismatch(model: "has \(classCount) outputs",
                                          data: "'\(dataset.name)' has \(dataset.classCount) classes")
        }
    }

    /// Checks that `features` holds whole rows of this model's input (`[rows, features…]`).
    public func checkInput(_ features: Tensor<Float>, from source: String) throws(ModelError) {
        let rows = features.shape.first ?? 0
        let perRow = rows == 0 ? 0 : features.count / rows
        guard features.rank >= 1, perRow == inputFeatureCount, rows * perRow == features.count else {
            throw ModelError.dataMismatch(
                model: "takes \(inputFeatureCount) features per sample (\(TextExcerpt.plain(architecture.specification)))",
                data: "has \(perRow) (in \(source)) — the data changed after the model was made; load data it fits or make a model for this data")
        }
    }

    /// Accuracy, per-class accuracy, confusion matrix and loss on `dataset`, evaluated in
    /// batches of `batchSize` rows.
    public func evaluate(on dataset: Dataset, pool: ComputePool, batchSize: Int = 256) throws -> Evaluation {
        try checkCompatible(with: dataset)
        let classes = dataset.classCount
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var lossSum: Double = 0
        var start = 0
        while start < dataset.count {
            let end = min(dataset.count, start + batchSize)
            let rows = dataset.features.rows(start..<end)
            let labels = dataset.labels[start..<end]
            let scores = logits(rows, pool: pool)
            let result = SoftmaxCrossEntropy.evaluate(logits: scores, labels: labels)
            lossSum += result.loss * Double(end - start)
            for (predicted, label) in zip(scores.argmaxRows(), labels) {
                confusion[label][predicted] += 1
            }
            start = end
        }
        return Evaluation(datasetName: dataset.name, classNames: dataset.classNames, confusion: confusion,
                          loss: dataset.count == 0 ? 0 : lossSum / Double(dataset.count))
    }

    /// The fraction of `dataset` predicted correctly.
    public func accuracy(on dataset: Dataset, pool: ComputePool) throws -> Double {
        try evaluate(on: dataset, pool: pool).accuracy
    }
}

extension Tensor where Element == Float {
    /// Rows `range` of a matrix, copied into a new [count, columns] tensor.
    func rows(_ range: Range<Int>) -> Tensor<Float> {
        let columns = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1
        return Tensor(shape: [range.count] + shape.dropFirst()) { target in
            withUnsafeBufferPointer { source in
                if range.count > 0 {
                    target.baseAddress!.update(from: source.baseAddress! + range.lowerBound * columns,
                                               count: range.count * columns)
                }
            }
        }
    }

    /// Rows at `indices`, gathered into a new [indices.count, columns] tensor.
    func gatherRows(_ indices: some Collection<Int>) -> Tensor<Float> {
        let columns = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1
        return Tensor(shape: [indices.count] + shape.dropFirst()) { target in
            withUnsafeBufferPointer { source in
                var offset = 0
                for index in indices {
                    (target.baseAddress! + offset).update(from: source.baseAddress! + index * columns, count: columns)
                    offset += columns
                }
            }
        }
    }
}
