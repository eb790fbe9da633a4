import SlimLab

/// `distill teacher=N student="mlp 64-16-10"|VARIANT [T=4] [alpha=0.7] [tsquared=on|off]
/// [epochs=] [lr=] [batch=] [labeled=FRACTION|N] [seeds=0,1,2] [sample=I] [scratch=on|off]
/// [as=NAME] [detail=full|brief]`: knowledge distillation, step by step.
struct DistillCommand: REPLCommand {
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
            run repeats and the report gives every seed's accuracies and their mean. distill reads \
            two variants: teacher= names the teacher, student= a new network or a variant to start \
            from; neither is changed, and the current model stays current.
            """,
        arguments: [teacher, student, temperature, alpha, tSquared, epochs, learningRate, batch, labeled, seeds, sample,
                    scratch, name, Option<TechniqueDetail>.detail],
        examples: ["distill teacher=baseline student=\"mlp 64-16-10\"",
                   "distill teacher=baseline student=\"mlp 64-16-10\" labeled=0.05 seeds=0,1,2",
                   "distill teacher=baseline student=\"mlp 64-16-10\" T=8 tsquared=off",
                   "distill teacher=baseline student=pruned-80 as=pruned-kd"])

    let teacherName: String
    let studentText: String
    let options: DistillationOptions
    let explicitSeeds: [UInt64]?
    let name: String?
    let detail: TechniqueDetail

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
        detail = try arguments.value(Option<TechniqueDetail>.detail)
    }

    func validate(in context: CommandContext) throws {
        try options.validate()
        _ = try context.workspace.distillationStudent(studentText)
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        var options = self.options
        options.seeds = explicitSeeds ?? [workspace.seed]
        let progress = DistillProgress(context: context)
        defer { progress.finish() }
        let outcome = try workspace.distill(teacher: teacherName, student: try workspace.distillationStudent(studentText),
                                            options: options, name: name, observer: progress.observe)
        progress.finish()
        try TechniqueRenderer(context: context).render(outcome, detail: detail)
    }
}
