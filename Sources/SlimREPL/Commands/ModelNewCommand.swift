import SlimLab

/// `model new mlp 64-64-10 [name=N] [seed=S]`, `model new cnn [name=N] [seed=S]`.
struct ModelNewCommand: REPLCommand {
    static let family = Positional<ModelArchitecture.Family>("ARCH", summary: "the kind of network: mlp (Dense + ReLU), cnn (the preset), lenet300 or lenet5")
    static let sizes = Positional<String>(
        "SIZES", arity: .optional,
        summary: "for mlp: layer widths from inputs to classes, like 64-32-10")
    static let name = Option<String>("name", defaultDescription: "the kind (mlp, mlp-2, …)", summary: "the new variant's name")
    static let seed = Option<UInt64>("seed", defaultDescription: "the session seed", in: 0...,
                                     summary: "the seed of the initial weights")

    static let configuration = CommandConfiguration(
        name: "new", summary: "build a new model with fresh weights and make it current",
        discussion: """
            mlp SIZES builds Dense layers fc1, fc2, … with ReLU between them (He initialization for \
            hidden layers, Xavier for the output). cnn builds the preset for 1×8×8 digits: two 3×3 \
            convolutions (16 and 32 filters) with ReLU and 2×2 max pooling, then a Dense layer; with \
            image data loaded it adapts to the data's image size and classes. lenet300 (784-300-100-10)             and lenet5 (Caffe's LeNet-5: conv 5×5·20, pool, conv 5×5·50, pool, Dense 500, Dense 10)             are the networks Deep Compression reports on, for 28×28 images like fashion-mnist.
            """,
        arguments: [family, sizes, name, seed],
        examples: ["model new mlp 64-64-10 name=baseline", "model new mlp 64-16-10 name=small seed=3", "model new cnn", "model new lenet300"])

    let family: ModelArchitecture.Family
    let sizes: String?
    let name: String?
    let seed: UInt64?

    init(arguments: ParsedArguments) throws {
        family = try arguments.value(Self.family)
        sizes = try arguments.optionalValue(Self.sizes)
        name = try arguments.optionalValue(Self.name)
        seed = try arguments.optionalValue(Self.seed)
    }

    var specification: String {
        [family.rawValue, sizes].compactMap { $0 }.joined(separator: " ")
    }

    func validate(in context: CommandContext) throws {
        if family == .mlp && sizes == nil {
            throw CommandFailure("model new mlp needs the layer sizes, e.g. 'model new mlp 64-32-10'")
        }
        if family != .mlp && sizes != nil {
            throw CommandFailure("the \(family.rawValue) preset takes no sizes; write 'model new \(family.rawValue)'")
        }
        _ = try ModelArchitecture.parse(specification)
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        // The presets adapt to the loaded data (its image size, features and classes).
        var inputShape: [Int]? = nil, classes: Int? = nil
        if let train = workspace.data?.train {
            let shape = train.sampleShape
            let fits: Bool
            switch family {
            case .mlp: fits = false
            case .cnn: fits = shape.count == 3
            case .lenet5: fits = shape.count == 3 && shape[1] >= 16 && shape[2] >= 16
            case .lenet300: fits = true
            }
            if fits {
                inputShape = shape
                classes = train.classCount
            }
        }
        let variant = try workspace.newModel(specification, name: name, seed: seed, inputShape: inputShape, classes: classes)
        context.print("created \(variant.name): \(variant.shortDescription), seed \(seed ?? workspace.seed)")
        if let data = workspace.data {
            do {
                try variant.model.checkCompatible(with: data.train)
            } catch {
                context.print("note: \(error); it cannot train on this data")
            }
        }
    }
}
