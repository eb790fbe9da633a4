import SlimLab

/// The arguments of `distill`, declared once for parsing, help and completion.
extension DistillCommand {
    static let defaults = DistillationOptions()
    static let teacher = Option<String>("teacher", required: true, kind: .name([.variant]),
                                        summary: "the trained variant whose soft targets the student learns from")
    static let student = Option<String>("student", required: true, placeholder: "ARCH|VARIANT",
                                        summary: "a new network (\"mlp 64-16-10\") or an existing variant (copied; it is not changed)")
    // Typed as Double so help prints the defaults as written (0.7, not 0.699999988).
    static let temperature = Option<Double>("T", default: Double("\(defaults.loss.temperature)")!, in: 0.01...100,
                                           summary: "the softmax temperature of the soft targets")
    static let alpha = Option<Double>("alpha", default: Double("\(defaults.loss.alpha)")!, in: 0...1,
                                     summary: "α, the weight of the soft term (1 − α weighs the labels)")
    static let tSquared = Option<Bool>("tsquared", default: true,
                                       summary: "multiply the soft term by T² (off shows why it is there)")
    static let epochs = Option<Int>("epochs", default: defaults.training.epochs, in: 1...100_000,
                                    summary: "passes over the training set")
    static let learningRate = Option<Double>("lr", default: Double("\(defaults.training.learningRate)")!, in: 1e-7...10,
                                            summary: "the learning rate η (Adam, cosine schedule, as train)")
    static let batch = Option<Int>("batch", default: defaults.training.batchSize, in: 1...1_000_000,
                                   summary: "samples per update")
    static let labeled = Option<LabeledBudget>("labeled", default: .all, placeholder: "FRACTION|N",
                                               summary: "how many training samples the student has labels for (0.05, 5%, 60); soft targets cover all")
    static let seeds = Option<[UInt64]>("seeds", defaultDescription: "the session seed",
                                        summary: "repeat with these seeds (0,1,2) and report the mean; the first seed's students are kept")
    static let sample = Option<Int>("sample", defaultDescription: "the first labeled sample", in: 0...,
                                    summary: "the training sample whose numbers are shown")
    static let scratch = Option<Bool>("scratch", default: true,
                                      summary: "also train the student on its labels alone, for comparison")
    static let name = Option<String>.newVariant("student (student-2, …)")
}
