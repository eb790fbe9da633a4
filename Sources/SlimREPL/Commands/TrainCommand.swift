import SlimLab

/// `train [epochs=] [lr=] [batch=] [optimizer=sgd|adam] [momentum=] [wd=] [schedule=]`:
/// trains the current model on the loaded data.
struct TrainCommand: REPLCommand {
    static let defaults = TrainingOptions()
    static let epochs = Option<Int>("epochs", default: defaults.epochs, in: 1...100_000, summary: "passes over the training set")
    static let learningRate = Option<Double>("lr", default: decimal(defaults.learningRate), in: 1e-12...10,
                                             summary: "the learning rate η")
    static let batch = Option<Int>("batch", default: defaults.batchSize, in: 1...1_000_000, summary: "samples per update")
    static let optimizer = Option<TrainingOptions.OptimizerKind>("optimizer", default: defaults.optimizer,
                                                                 summary: "the update rule")
    static let momentum = Option<Double>("momentum", default: decimal(defaults.momentum), in: 0..<1,
                                         summary: "SGD's momentum μ (Adam ignores it)")
    static let weightDecay = Option<Double>("wd", default: decimal(defaults.weightDecay), in: 0..<1,
                                            summary: "L2 weight decay λ on the weights (not the biases)")
    static let schedule = Option<LearningRateSchedule>("schedule", default: defaults.schedule,
                                                       summary: "how η changes: constant, step (×0.1 every third of the run), cosine (to 0)")

    static let log = Option<Int>("log", default: 1, in: 1...100_000,
                                 summary: "print every K-th epoch's line (the first and last always)")

    static let configuration = CommandConfiguration(
        name: "train", topic: .training,
        summary: "train the current model on the loaded data",
        discussion: """
            Mini-batches in a seeded random order (the session seed), softmax cross-entropy, and \
            SGD with momentum or Adam. Prints one line per epoch: the mean training loss, the \
            training accuracy over the epoch and the test accuracy after it; on a terminal a \
            progress bar shows the batches. Ctrl-C stops after the current batch and keeps the \
            model as it is then. Training again continues from the current weights.
            """,
        arguments: [epochs, learningRate, batch, optimizer, momentum, weightDecay, schedule, log],
        examples: ["train", "train epochs=10 lr=0.01 optimizer=sgd momentum=0.9", "train schedule=step wd=0",
                   "train epochs=100 log=10"])

    let options: TrainingOptions
    /// Every how many epochs a line is printed.
    let logEvery: Int

    init(arguments: ParsedArguments) throws {
        var options = TrainingOptions()
        options.epochs = try arguments.value(Self.epochs)
        options.learningRate = Float(try arguments.value(Self.learningRate))
        options.batchSize = try arguments.value(Self.batch)
        options.optimizer = try arguments.value(Self.optimizer)
        options.momentum = Float(try arguments.value(Self.momentum))
        options.weightDecay = Float(try arguments.value(Self.weightDecay))
        options.schedule = try arguments.value(Self.schedule)
        self.options = options
        logEvery = try arguments.value(Self.log)
    }

    func validate(in context: CommandContext) throws {
        let variant = try context.workspace.variants.variant()
        let data = try context.requireData()
        try variant.model.checkCompatible(with: data.train)
        try options.validate()
        try context.workspace.checkTrainingWork(data: data, options: options)
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        let data = try context.requireData()
        let variant = try workspace.variants.variant()
        var options = self.options
        options.seed = workspace.seed
        let settings = options.optimizer == .sgd
            ? "sgd lr=\(Self.decimal(options.learningRate).argumentText) momentum=\(Self.decimal(options.momentum).argumentText)"
            : "adam lr=\(Self.decimal(options.learningRate).argumentText)"
        context.printWrapped("training \(variant.name) (\(variant.model.architecture.specification)) on \(data.train.name): "
                      + "\(NumberFormatting.grouped(data.train.count)) train / "
                      + (data.validation.map { "\(NumberFormatting.grouped($0.count)) val / " } ?? "")
                      + "\(NumberFormatting.grouped(data.test.count)) test · "
                      + "\(settings) batch=\(options.batchSize) wd=\(Self.decimal(options.weightDecay).argumentText) "
                      + "schedule=\(options.schedule.rawValue) · \(options.epochs) epoch\(options.epochs == 1 ? "" : "s")")
        let epochDigits = String(options.epochs).count
        var bar: ProgressReporter?
        let report = try workspace.train(data: data, options: options) { event in
            switch event {
            case .batchFinished(let progress):
                if bar == nil {
                    bar = context.progress(total: progress.batches,
                                           label: "epoch \(progress.epoch)/\(progress.epochs)")
                }
                bar?.update(completed: progress.batch,
                            detail: "batch \(progress.batch)/\(progress.batches) loss \(context.fixed(progress.loss)) acc \(NumberFormatting.percent(progress.accuracy))")
            case .epochFinished(let record):
                bar?.finish()
                bar = nil
                let shown = record.epoch == 1 || record.epoch % logEvery == 0 || record.epoch == options.epochs
                    || !record.isComplete
                guard shown else { return }
                var line = "epoch \(DisplayWidth.padLeft(String(record.epoch), to: epochDigits))/\(options.epochs)"
                    + "  loss \(context.fixed(record.loss))  train \(NumberFormatting.percent(record.trainAccuracy))"
                if let validation = record.validationAccuracy { line += "  val \(NumberFormatting.percent(validation))" }
                if let test = record.testAccuracy { line += "  test \(NumberFormatting.percent(test))" }
                if context.output.isTerminal { line += "  " + context.style(NumberFormatting.duration(seconds: record.seconds), .dim) }
                context.print(line)
            }
        }
        if report.stopped, let last = report.epochs.last {
            context.print("stopped (Ctrl-C) in epoch \(last.epoch) after batch \(last.batchesDone) of \(last.batches); "
                          + "\(variant.name) keeps the weights of its last completed step")
        }
        if report.losses.count > 1 {
            context.print("loss " + Sparkline.summary(report.losses, digits: context.precision))
        }
        if let accuracy = report.finalTestAccuracy {
            let total = try workspace.variants.variant(named: variant.name).model.completedEpochs
            context.print("\(variant.name): test accuracy \(NumberFormatting.percent(accuracy)) after \(total) epoch\(total == 1 ? "" : "s")")
        }
    }
}

extension TrainCommand {
    /// A Float setting as the decimal it was written as (0.005, not 0.004999999888).
    static func decimal(_ x: Float) -> Double { Double(x.description) ?? Double(x) }
}

extension TrainingOptions.OptimizerKind: ArgumentValue {}
extension LearningRateSchedule: ArgumentValue {}

