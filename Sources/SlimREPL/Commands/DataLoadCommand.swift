import SlimLab

/// `data load NAME|PATH [test=0.25] [seed=0] [normalize=standard|minmax|none] …`.
struct DataLoadCommand: REPLCommand {
    static let source = Positional<String>("NAME", kind: .name([.dataset, .path]),
                                           summary: "a shipped set (digits, iris), fashion-mnist, a generator (spirals, moons, blobs, xor) or a CSV/IDX file (gzip'd or not)")
    static let test = Option<Double>("test", default: 0.25, in: 0.0..<1.0,
                                     summary: "the fraction held out for testing (fashion-mnist keeps its official 10,000)")
    static let validation = Option<Double>("val", default: 0, in: 0.0..<1.0,
                                           summary: "the fraction of the training part held out for validation (stratified)")
    static let seed = Option<UInt64>("seed", default: 0, in: 0..., summary: "the seed of the split (and of a generator)")
    static let normalize = Option<Normalization.Method>("normalize", default: .standard,
                                                        summary: "feature scaling fitted on the training part")
    static let count = Option<Int>("n", defaultDescription: "600", in: 1...1_000_000, summary: "generators: the number of samples; fashion-mnist: train on a stratified subset of this many")
    static let noise = Option<Double>("noise", in: 0.0...10.0, summary: "generators: the noise level")
    static let classes = Option<Int>("classes", in: 2...100, summary: "spirals and blobs: the number of classes")
    static let label = Option<String>("label", defaultDescription: "the last column", summary: "CSV: the label column's name")
    static let labels = Option<String>("labels", kind: .name([.path]), summary: "IDX: the labels file")

    static let configuration = CommandConfiguration(
        name: "load", summary: "load a dataset, split it and normalize it",
        arguments: [source, test, validation, seed, normalize, count, noise, classes, label, labels],
        examples: ["data load digits", "data load iris test=0.2 seed=1", "data load spirals n=600 noise=0.2 seed=1",
                   "data load fashion-mnist val=0.1", "data load ./train-images-idx3-ubyte.gz",
                   "data load mydata.csv label=class normalize=minmax"])

    let source: String, test: Double, validation: Double, seed: UInt64, normalize: Normalization.Method
    let options: DatasetLoadOptions

    init(arguments: ParsedArguments) throws {
        source = try arguments.value(Self.source)
        test = try arguments.value(Self.test)
        validation = try arguments.value(Self.validation)
        seed = try arguments.value(Self.seed)
        normalize = try arguments.value(Self.normalize)
        options = DatasetLoadOptions(count: try arguments.optionalValue(Self.count), noise: try arguments.optionalValue(Self.noise),
                                     classes: try arguments.optionalValue(Self.classes), seed: seed,
                                     labelColumn: try arguments.optionalValue(Self.label),
                                     labelsPath: try arguments.optionalValue(Self.labels))
    }

    func run(in context: CommandContext) throws {
        var recipe = DatasetRecipe(source: source, options: options, testFraction: test, validationFraction: validation,
                                   seed: seed, normalization: normalize)
        let split = try recipe.load()
        recipe.datasetName = split.train.name
        context.workspace.data = split
        context.workspace.dataRecipe = recipe
        let shape = split.train.sampleShape.map(String.init).joined(separator: "×")
        let total = split.train.count + split.test.count + (split.validation?.count ?? 0)
        var parts = ["\(NumberFormatting.grouped(split.train.count)) train"]
        if let validation = split.validation { parts.append("\(NumberFormatting.grouped(validation.count)) val") }
        parts.append("\(NumberFormatting.grouped(split.test.count)) test")
        let how = split.testFraction == nil ? "official test set" : "stratified"
        context.print("loaded \(split.train.name): \(NumberFormatting.grouped(total)) samples of \(shape), "
                      + "\(split.train.classCount) classes · \(parts.joined(separator: " / ")) (\(how), seed \(seed)) · normalize=\(normalize.rawValue)")
    }
}
