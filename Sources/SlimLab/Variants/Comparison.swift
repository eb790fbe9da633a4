import SlimKernels

/// The table behind `compare`: every chosen variant beside the baseline — size, accuracy and
/// (when timed) speed, with the ratios that matter.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var isBaseline: Bool
        public var isCurrent: Bool
        public var architecture: String
        public var parameterCount: Int
        public var nonZeroCount: Int
        /// Bytes of all tensors as stored.
        public var byteCount: Int
        /// Baseline bytes / these bytes (nil without a baseline).
        public var timesSmaller: Double?
        /// Accuracy on the test part (nil without data).
        public var testAccuracy: Double?
        /// (accuracy − baseline accuracy) · 100, in percentage points.
        public var deltaAccuracyPoints: Double?
        /// Median time of one sample, and of one batch of `Comparison.batchSize` (nil when untimed).
        public var latencyPerSample: LatencyMeasurement?
        public var latencyPerBatch: LatencyMeasurement?
        /// Baseline batch time / this batch time (nil when untimed or without a baseline).
        public var speedup: Double?
    }

    /// The batch of the per-batch latency column.
    public static let batchSize = 256

    public var rows: [Row]
    public var baselineName: String?
    /// The test set accuracy was measured on, if any.
    public var datasetName: String?
    public var timed: Bool
}

/// What can go wrong building a comparison.
public enum ComparisonError: Error, CustomStringConvertible, Equatable {
    case incompatible(variant: String, reason: String)

    public var description: String {
        switch self {
        case let .incompatible(variant, reason): return "cannot compare \(variant): \(reason)"
        }
    }
}

extension VariantTable {
    /// The comparison of `names` (all variants when empty; the baseline is always included and
    /// listed first), with accuracy on `test` when given and latency when `timing` is on.
    public func compare(_ names: [String] = [], test: Dataset?, timing: Bool, pool: ComputePool,
                        repeats: Int = 7) throws -> Comparison {
        guard !isEmpty else { throw VariantError.noVariants }
        var chosen = try (names.isEmpty ? self.names : names).map { try variant(named: $0) }
        let baseline = self.baseline
        if let baseline {
            chosen.removeAll { $0.name == baseline.name }
            chosen.insert(baseline, at: 0)
        }
        // One sample and one batch of 256 rows: test rows, cycled when the set is smaller; zeros without data.
        func inputs(for model: Model) -> (Tensor<Float>, Tensor<Float>) {
            let features = model.inputFeatureCount
            guard let test, test.count > 0, test.featureCount == features else {
                return (.zeros([1, features]), .zeros([Comparison.batchSize, features]))
            }
            let indices = (0..<Comparison.batchSize).map { $0 % test.count }
            return (test.features.rows(0..<1), test.features.gatherRows(indices))
        }
        var rows: [Comparison.Row] = []
        for variant in chosen {
            let model = variant.model
            var accuracy: Double?
            if let test {
                do {
                    accuracy = try model.accuracy(on: test, pool: pool)
                } catch let error as ModelError {
                    throw ComparisonError.incompatible(variant: variant.name, reason: error.description)
                }
            }
            var perSample: LatencyMeasurement?, perBatch: LatencyMeasurement?
            if timing {
                let (one, batch) = inputs(for: model)
                perSample = LatencyMeasurement.measure(model, rows: one, pool: pool, repeats: repeats)
                perBatch = LatencyMeasurement.measure(model, rows: batch, pool: pool, repeats: repeats)
            }
            rows.append(Comparison.Row(
                name: variant.name, isBaseline: variant.name == baseline?.name, isCurrent: variant.name == currentName,
                architecture: model.architecture.specification, parameterCount: model.parameterCount,
                nonZeroCount: model.nonZeroParameterCount, byteCount: model.storedByteCount,
                timesSmaller: nil, testAccuracy: accuracy, deltaAccuracyPoints: nil,
                latencyPerSample: perSample, latencyPerBatch: perBatch, speedup: nil))
        }
        if let reference = rows.first(where: \.isBaseline) {
            for index in rows.indices {
                rows[index].timesSmaller = rows[index].byteCount == 0 ? nil
                    : Double(reference.byteCount) / Double(rows[index].byteCount)
                if let accuracy = rows[index].testAccuracy, let base = reference.testAccuracy {
                    rows[index].deltaAccuracyPoints = (accuracy - base) * 100
                }
                if let mine = rows[index].latencyPerBatch, let theirs = reference.latencyPerBatch, mine.seconds > 0 {
                    rows[index].speedup = theirs.seconds / mine.seconds
                }
            }
        }
        return Comparison(rows: rows, baselineName: baseline?.name, datasetName: test?.name, timed: timing)
    }
}
