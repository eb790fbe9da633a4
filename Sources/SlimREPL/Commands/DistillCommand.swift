import SlimLab

/// `distill teacher=N student="mlp 64-16-10"|VARIANT [T=4] [alpha=0.7] [tsquared=on|off]
/// [epochs=] [lr=] [batch=] [labeled=FRACTION|N] [seeds=0,1,2] [sample=I] [scratch=on|off]
/// [as=NAME] [detail=full|brief]`: knowledge distillation, step by step.
struct DistillCommand: REPLCommand {
    enum Detail: String, CaseIterable, ArgumentValue { case full, brief }

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
    static let name = Option<String>("as", defaultDescription: "student (student-2, …)", placeholder: "NAME", summary: "the new variant's name")
    static let detail = Option<Detail>("detail", default: .full, summary: "full: every step; brief: the result only")

    static let configuration = CommandConfiguration(
        name: "distill", topic: .compression,
        summary: "train a small student on a teacher's softened outputs (knowledge distillation)",
        discussion: """
            The student minimizes L = α·T²·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s)) with \
            p_t = softmax(z_t/T) from the teacher and q_s = softmax(z_s/T) from the student \
            (Hinton, Vinyals & Dean, 2015). The teacher runs once over the training set; its soft \
            targets show which wrong classes it finds similar (the dark knowledge). With labeled= \
            below all, the student gets labels for a stratified few of the training samples but \
            the teacher's soft targets for all of them. For comparison the same student, from the \
            same initial weights, also trains on its labeled samples alone for as many updates; \
            both become variants (NAME and NAME-scratch) for compare. With seeds=0,1,2 the whole \
            run repeats and the report gives every seed's accuracies and their mean.
            """,
        arguments: [teacher, student, temperature, alpha, tSquared, epochs, learningRate, batch, labeled, seeds, sample,
                    scratch, name, detail],
        examples: ["distill teacher=baseline student=\"mlp 64-16-10\"",
                   "distill teacher=baseline student=\"mlp 64-16-10\" labeled=0.05 seeds=0,1,2",
                   "distill teacher=baseline student=\"mlp 64-16-10\" T=8 tsquared=off",
                   "distill teacher=baseline student=pruned-80 as=pruned-kd"])

    let teacherName: String
    let studentText: String
    let options: DistillationOptions
    let explicitSeeds: [UInt64]?
    let name: String?
    let detail: Detail

    init(arguments: ParsedArguments) throws {
        teacherName = try arguments.value(Self.teacher)
        studentText = try arguments.value(Self.student)
        var options = DistillationOptions()
        options.loss = DistillationLoss(temperature: Float(try arguments.value(Self.temperature)),
                                        alpha: Float(try arguments.value(Self.alpha)),
                                        scalesByTemperatureSquared: try arguments.value(Self.tSquared))
        options.training.epochs = try arguments.value(Self.epochs)
        options.training.learningRate = Float(try arguments.value(Self.learningRate))
        options.training.batchSize = try arguments.value(Self.batch)
        options.labeled = try arguments.value(Self.labeled)
        options.sampleIndex = try arguments.optionalValue(Self.sample)
        options.comparesWithScratch = try arguments.value(Self.scratch)
        explicitSeeds = try arguments.optionalValue(Self.seeds)
        options.seeds = explicitSeeds ?? [0]
        self.options = options
        name = try arguments.optionalValue(Self.name)
        detail = try arguments.value(Self.detail)
    }

    /// A variant of that name, else an architecture.
    func studentSource(in context: CommandContext) -> DistillationStudent {
        context.workspace.variants.names.contains(studentText) ? .variant(studentText) : .architecture(studentText)
    }

    func validate(in context: CommandContext) throws {
        try options.validate()
        if case .architecture(let text) = studentSource(in: context) {
            do {
                _ = try ModelArchitecture.parse(text)
            } catch {
                let known = context.workspace.variants.names
                throw CommandFailure("student=\(text) is neither a variant (\(known.isEmpty ? "there are none yet" : known.joined(separator: ", "))) "
                                     + "nor an architecture: \(error)")
            }
        }
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        var options = self.options
        options.seeds = explicitSeeds ?? [workspace.seed]
        let student = studentSource(in: context)
        var bar: ProgressReporter?
        var label = ""
        defer { bar?.finish() }
        let report = try workspace.distill(teacher: teacherName, student: student, options: options, name: name) { event in
            switch event {
            case let .runStarted(seed, kind, _):
                label = "seed \(seed) · \(kind == .distilled ? "distilling" : "from scratch")"
            case .training(.batchFinished(let progress)):
                if bar == nil { bar = context.progress(total: progress.epochs * progress.batches, label: label) }
                bar?.update(completed: (progress.epoch - 1) * progress.batches + progress.batch,
                            detail: "epoch \(progress.epoch)/\(progress.epochs) loss \(context.fixed(progress.loss))")
                if progress.epoch == progress.epochs && progress.batch == progress.batches {
                    bar?.finish()
                    bar = nil
                }
            case .training(.epochFinished):
                break
            }
        }
        bar?.finish()
        bar = nil
        try DistillReportRenderer(context: context).render(report, detail: detail)
    }
}

extension LabeledBudget: ArgumentValue {
    public init?(argument: String) { self.init(text: argument) }
    public static var valueKind: ValueKind { .text }
    public var argumentText: String {
        switch self {
        case .all: return "all"
        case .fraction(let f): return NumberFormatting.shortest(f)
        case .count(let n): return String(n)
        }
    }
}
