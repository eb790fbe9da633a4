@testable import SlimREPL

// Commands used only by the tests: every kind of argument, a group with sub-commands, and
// a command that counts its runs, so parsing, help and completion are tested on known specs.

enum SampleOptimizer: String, CaseIterable, ArgumentValue { case sgd, adam, adamw }

struct SampleTrain: REPLCommand {
    static let epochs = Option<Int>("epochs", default: 5, in: 1...1000, summary: "passes over the training set")
    static let rate = Option<Double>("lr", default: 0.01, in: 0.0..<10.0, summary: "learning rate")
    static let optimizer = Option<SampleOptimizer>("optimizer", default: .sgd, summary: "update rule")
    static let layers = Option<[String]>("layers", kind: .list(.name([.tensor])), summary: "layers to train")
    static let teacher = Option<String>("teacher", kind: .name([.variant]), summary: "a variant")
    static let shuffle = Option<Bool>("shuffle", default: true, summary: "shuffle each epoch")
    static let sparsities = Option<[Double]>("sparsities", summary: "a list of numbers")

    static let configuration = CommandConfiguration(
        name: "train", topic: .training, summary: "train the current model",
        arguments: [epochs, rate, optimizer, layers, teacher, shuffle, sparsities],
        examples: ["train epochs=10 optimizer=adam"])

    nonisolated(unsafe) static var runs: [SampleTrain] = []

    let epochs: Int, rate: Double, optimizer: SampleOptimizer, layers: [String]?, teacher: String?
    let shuffle: Bool

    init(arguments: ParsedArguments) throws {
        epochs = try arguments.value(Self.epochs)
        rate = try arguments.value(Self.rate)
        optimizer = try arguments.value(Self.optimizer)
        layers = try arguments.optionalValue(Self.layers)
        teacher = try arguments.optionalValue(Self.teacher)
        shuffle = try arguments.value(Self.shuffle)
    }

    func run(in context: CommandContext) throws {
        Self.runs.append(self)
        context.print("trained \(epochs) epochs with \(optimizer.rawValue)")
    }
}

enum SampleModel: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "model", topic: .model, summary: "build and manage models",
        subcommands: [SampleModelNew.self, SampleModelUse.self])
}

enum SampleArchitecture: String, CaseIterable, ArgumentValue { case mlp, cnn }

struct SampleModelNew: REPLCommand {
    static let architecture = Positional<SampleArchitecture>("ARCH", summary: "the kind of network")
    static let sizes = Positional<String>("SIZES", arity: .optional, default: "64-10", summary: "layer widths")
    static let name = Option<String>("name", defaultDescription: "model1, model2, …", summary: "the new variant's name")
    static let configuration = CommandConfiguration(
        name: "new", summary: "build a new model", arguments: [architecture, sizes, name],
        examples: ["model new mlp 64-64-10 name=baseline"])

    let architecture: SampleArchitecture, sizes: String, name: String?
    init(arguments: ParsedArguments) throws {
        architecture = try arguments.value(Self.architecture)
        sizes = try arguments.value(Self.sizes)
        name = try arguments.optionalValue(Self.name)
    }
    func run(in context: CommandContext) throws {
        context.print("new \(architecture.rawValue) \(sizes) \(name ?? "-")")
    }
}

struct SampleModelUse: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]), summary: "the variant")
    static let configuration = CommandConfiguration(
        name: "use", aliases: ["select"], summary: "make a variant current", arguments: [variant])
    let variant: String
    init(arguments: ParsedArguments) throws { variant = try arguments.value(Self.variant) }
    func validate(in context: CommandContext) throws {
        if variant == "int8" { try context.requireName("int4", .variant, argument: "as=") }
    }
    func run(in context: CommandContext) throws { context.print("using \(variant)") }
}

struct SampleLoad: REPLCommand {
    static let source = Positional<String>("SOURCE", kind: .name([.dataset, .path]), summary: "dataset or file")
    static let files = Positional<String>("FILE", arity: .repeated, kind: .name([.path]), summary: "more files")
    static let configuration = CommandConfiguration(
        name: "load", topic: .data, summary: "load data", arguments: [source, files])
    let source: String, files: [String]
    init(arguments: ParsedArguments) throws {
        source = try arguments.value(Self.source)
        files = try arguments.values(Self.files)
    }
    func run(in context: CommandContext) throws { context.print("load \(source) \(files)") }
}

/// Steps through three numbered steps, checking for Ctrl-C between them.
struct SampleSteps: REPLCommand {
    static let configuration = CommandConfiguration(name: "steps", topic: .compression, summary: "three steps")
    init(arguments: ParsedArguments) throws {}
    func run(in context: CommandContext) throws {
        let steps = context.steps(3)
        try steps.begin("first")
        try steps.begin("second")
        context.workspace.stop.request()
        try steps.begin("third")
        context.print("not reached")
    }
}

extension CommandRegistry {
    /// The session commands plus the samples, with two variants and some tensors known. (Not
    /// built on `.standard`, whose real `model` and `train` commands the samples would clash with.)
    static var sample: CommandRegistry {
        var registry = CommandRegistry(commands: [HelpCommand.self, SetCommand.self, HistoryCommand.self, QuitCommand.self])
        for command: any REPLCommand.Type in [SampleTrain.self, SampleModel.self, SampleLoad.self, SampleSteps.self] {
            registry.register(command)
        }
        registry.provideNames(.variant) { _ in ["baseline", "pruned-80", "int8"] }
        registry.provideNames(.tensor) { _ in ["fc1.weight", "fc1.bias", "fc2.weight"] }
        registry.provideNames(.dataset) { _ in ["digits", "iris"] }
        registry.currentModelName = { $0.workspace.seed == 7 ? "baseline" : nil }
        return registry
    }
}
