import SlimLab

/// `data load NAME|PATH [test=0.25] [seed=0] [normalize=standard|minmax|none] …`.
struct DataLoadCommand: REPLCommand {
    static let source = Positional<String>("NAME", kind: .name([.dataset, .path]),
                                           summary: "a shipped set (digits, iris), a generator (spirals, moons, blobs, xor) or a CSV/IDX file")
    static let test = Option<Double>("test", default: 0.25, in: 0.0..<1.0, summary: "the fraction held out for testing")
    static let seed = Option<UInt64>("seed", default: 0, in: 0..., summary: "the seed of the split (and of a generator)")
    static let normalize = Option<Normalization.Method>("normalize", default: .standard,
                                                        summary: "feature scaling fitted on the training part")
    static let count = Option<Int>("n", defaultDescription: "600", in: 1...1_000_000, summary: "generators: the number of samples")
    static let noise = Option<Double>("noise", in: 0.0...10.0, summary: "generators: the noise level")
    static let classes = Option<Int>("classes", in: 2...100, summary: "spirals and blobs: the number of classes")
    static let label = Option<String>("label", defaultDescription: "the last column", summary: "CSV: the label column's name")
    static let labels = Option<String>("labels", kind: .name([.path]), summary: "IDX: the labels file")

    static let configuration = CommandConfiguration(
        name: "load", summary: "load a dataset, split it and normalize it",
        arguments: [source, test, seed, normalize, count, noise, classes, label, labels],
        examples: ["data load digits", "data load iris test=0.2 seed=1", "data load spirals n=600 noise=0.2 seed=1",
                   "data load mydata.csv label=class normalize=minmax"])

    let source: String, test: Double, seed: UInt64, normalize: Normalization.Method
    let options: DatasetLoadOptions

    init(arguments: ParsedArguments) throws {
        source = try arguments.value(Self.source)
        test = try arguments.value(Self.test)
        seed = try arguments.value(Self.seed)
        normalize = try arguments.value(Self.normalize)
        options = DatasetLoadOptions(count: try arguments.optionalValue(Self.count), noise: try arguments.optionalValue(Self.noise),
                                     classes: try arguments.optionalValue(Self.classes), seed: seed,
                                     labelColumn: try arguments.optionalValue(Self.label),
                                     labelsPath: try arguments.optionalValue(Self.labels))
    }

    func run(in context: CommandContext) throws {
        let dataset = try DatasetCatalog.standard().load(source, options: options)
        let split = try dataset.split(testFraction: test, seed: seed, normalization: normalize)
        context.workspace.data = split
        context.workspace.dataRecipe = DatasetRecipe(source: source, options: options, testFraction: test, seed: seed,
                                                     normalization: normalize, datasetName: dataset.name)
        let shape = split.train.sampleShape.map(String.init).joined(separator: "×")
        context.print("loaded \(dataset.name): \(NumberFormatting.grouped(dataset.count)) samples of \(shape), "
                      + "\(dataset.classCount) classes · \(NumberFormatting.grouped(split.train.count)) train / "
                      + "\(NumberFormatting.grouped(split.test.count)) test (stratified, seed \(seed)) · normalize=\(normalize.rawValue)")
    }
}
