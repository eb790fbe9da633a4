/// Everything a `distill` run did, as values for the REPL to render step by step: the setting,
/// one sample through the loss, the gradient scales behind T², the epochs of the kept run,
/// and the distilled and from-scratch accuracies of every seed.
public struct DistillationReport: Sendable {
    public var teacherName: String
    public var teacherArchitecture: String
    public var teacherParameterCount: Int
    /// The teacher's test accuracy (nil without test data).
    public var teacherTestAccuracy: Double?
    public var student: DistillationStudent
    public var studentArchitecture: String
    public var studentParameterCount: Int
    public var options: DistillationOptions
    public var datasetName: String
    /// Training samples, all of which carry soft targets (the transfer set).
    public var transferCount: Int
    /// Training samples whose labels the student gets.
    public var labeledCount: Int
    public var testCount: Int
    /// One sample through the loss, before (and after) training, for the first seed.
    public var example: DistillationExample
    /// ‖∂KL/∂z‖ and ‖∂CE/∂z‖ at several temperatures, at the first seed's initial weights.
    public var gradientScales: [GradientScale]
    /// The rows `gradientScales` was measured on.
    public var gradientSampleCount: Int
    /// One result per seed, in the order given.
    public var seeds: [SeedResult]
    /// The variants added (set by the workspace; nil before).
    public var distilledName: String?
    public var scratchName: String?
    /// Things the learner should know (a quantized student trained in float, …).
    public var notes: [String]

    /// The outcome of one seed.
    public struct SeedResult: Sendable {
        public var seed: UInt64
        /// The labeled samples' rows in the training part (for this seed's stratified draw).
        public var labeledIndices: [Int]
        public var distillation: DistillationTraining
        /// The distilled student's test accuracy after its last epoch.
        public var distilledAccuracy: Double?
        /// The same student trained on the labeled samples alone (nil when not asked for).
        public var scratch: ScratchResult?

        /// (distilled − scratch) · 100, in percentage points.
        public var gainPoints: Double? {
            guard let distilledAccuracy, let scratch = scratch?.accuracy else { return nil }
            return (distilledAccuracy - scratch) * 100
        }
    }

    /// The comparison run: same architecture and initial weights, same optimizer, learning
    /// rate, batch and seed, as many updates — on the labeled samples and their labels only.
    public struct ScratchResult: Sendable {
        public var training: TrainingReport
        public var accuracy: Double?
        /// Epochs over the labeled samples, chosen so that the updates match the distillation's.
        public var epochs: Int { training.epochs.count }
        public var updates: Int { training.steps }
    }

    /// The mean test accuracy of the distilled students over the seeds.
    public var meanDistilledAccuracy: Double? { Self.mean(seeds.compactMap(\.distilledAccuracy)) }
    /// The mean test accuracy of the from-scratch students over the seeds.
    public var meanScratchAccuracy: Double? { Self.mean(seeds.compactMap { $0.scratch?.accuracy }) }
    /// The sample standard deviations of the same (nil for one seed).
    public var distilledAccuracySpread: Double? { Self.standardDeviation(seeds.compactMap(\.distilledAccuracy)) }
    public var scratchAccuracySpread: Double? { Self.standardDeviation(seeds.compactMap { $0.scratch?.accuracy }) }
    /// Mean distilled − mean scratch, in percentage points.
    public var meanGainPoints: Double? {
        guard let d = meanDistilledAccuracy, let s = meanScratchAccuracy else { return nil }
        return (d - s) * 100
    }

    /// Whether the mean gain is smaller than the seed-to-seed spread of either student (so it
    /// says nothing either way); nil with one seed or without a comparison.
    public var gainIsWithinSpread: Bool? {
        guard let gain = meanGainPoints, let d = distilledAccuracySpread, let s = scratchAccuracySpread else { return nil }
        return abs(gain) < max(d, s) * 100
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func standardDeviation(_ values: [Double]) -> Double? {
        guard values.count > 1, let m = mean(values) else { return nil }
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}
