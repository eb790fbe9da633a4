import SlimKernels

/// The model operations of a session, as the REPL's `model`, `train`, `trace`, `show` and
/// `formula` commands call them. Each either succeeds or throws before changing anything.
extension Workspace {
    /// Training settings with this session's seed (what `train` starts from before its options).
    public var trainingDefaults: TrainingOptions {
        var options = TrainingOptions()
        options.seed = seed
        return options
    }

    /// Builds a model from `specification` (`mlp 64-64-10`, `cnn`) with parameters drawn from
    /// `seed` (the session seed when nil), adds it as variant `name` (by default the family
    /// name, made unique) and makes it current. `inputShape` and `classes` adapt the `cnn`
    /// preset to the loaded data.
    @discardableResult
    public func newModel(_ specification: String, name: String? = nil, seed: UInt64? = nil,
                         inputShape: [Int]? = nil, classes: Int? = nil) throws -> Variant {
        let architecture = try ModelArchitecture.parse(specification, inputShape: inputShape, classes: classes)
        let seed = seed ?? self.seed
        var generator = SeededGenerator(seed: seed)
        let model = try architecture.makeModel(generator: &generator, budget: budget)
        let family = specification.split(whereSeparator: \.isWhitespace).first.map { $0.lowercased() } ?? "model"
        let variant = Variant(name: name ?? variants.uniqueName(family), model: model,
                              origin: "new, seed \(seed)")
        try variants.add(variant)
        return variant
    }

    /// Trains variant `name` (the current one when nil) on `data`, keeping the report in its
    /// history. A stop request ends it at a batch boundary with the last completed step kept.
    /// A pruned or quantized variant stays so: its kernels are derived from the weights and
    /// follow them (see `DenseInferenceKernel`).
    @discardableResult
    public func train(_ name: String? = nil, data: DatasetSplit, options: TrainingOptions,
                      observer: ((TrainingEvent) -> Void)? = nil) throws -> TrainingReport {
        try checkTrainingWork(name, data: data, options: options)
        let report = try variants.update(name) { variant in
            let report = try Trainer.train(&variant.model, on: data, options: options, pool: pool,
                                           stop: stop, observer: observer)
            variant.trainingRuns.append(report)
            return report
        }
        let trained = try variants.variant(named: name).name
        if lastTrace?.variantName == trained { lastTrace = nil }
        return report
    }

    /// Variant `name`'s own accuracy on the loaded test rows, evaluated now (nil without data,
    /// or when the data does not fit the model): never a number inherited from its source.
    public func testAccuracy(of name: String? = nil) throws -> Double? {
        let model = try variants.variant(named: name).model
        guard let test = data?.test, test.count > 0, test.featureCount == model.inputFeatureCount else { return nil }
        return try model.accuracy(on: test, pool: pool)
    }

    /// Sample `index` of `dataset` through variant `name` (current when nil); the trace is
    /// kept as `lastTrace` for `show` and `formula`.
    @discardableResult
    public func trace(sample index: Int, of dataset: Dataset, variant name: String? = nil) throws -> Trace {
        let variant = try variants.variant(named: name)
        let trace = try variant.model.trace(sample: index, of: dataset, variantName: variant.name, pool: pool)
        lastTrace = trace
        return trace
    }

    /// Removes variant `name`, with the last trace if it was of that variant.
    @discardableResult
    public func dropModel(_ name: String) throws -> Variant {
        let dropped = try variants.drop(name)
        if lastTrace?.variantName == name { lastTrace = nil }
        return dropped
    }

    /// The tensor `name` of variant `variant` (current when nil): a parameter (`fc1.weight`) or,
    /// from the last trace of that variant, an activation (`fc1.out`, `input`).
    public func inspectTensor(_ name: String, variant variantName: String? = nil, bins: Int = 16) throws -> TensorInspection {
        let variant = try variants.variant(named: variantName)
        let model = variant.model
        if let parameter = try? model.parameter(named: name) {
            let dtype = model.storedTensors.first { $0.name == name }?.dtype ?? .float32
            return TensorInspection(source: .parameter(variant: variant.name), value: parameter.value,
                                    statistics: TensorStatistics(name: name, tensor: parameter.value, dtype: dtype, bins: bins),
                                    mask: parameter.mask)
        }
        let activationNames = ["input"] + model.activationNames
        if activationNames.contains(name) {
            guard let trace = lastTrace, trace.variantName == variant.name, let activation = trace.activation(named: name) else {
                throw InspectionError.noTrace(tensor: name, variant: variant.name)
            }
            // One sample: shown without the batch axis, as `trace` prints it.
            let value = activation.value.reshaped(Array(activation.value.shape.dropFirst()))
            return TensorInspection(source: .activation(variant: variant.name, dataset: trace.datasetName, sample: trace.sampleIndex),
                                    value: value, statistics: TensorStatistics(name: name, tensor: value, bins: bins), mask: nil)
        }
        throw ModelError.unknownTensor(name, known: model.parameterNames + activationNames)
    }

    /// Every tensor name of variant `name` (current when nil), parameters then activations,
    /// for completion.
    public func tensorNames(variant name: String? = nil) -> [String] {
        guard let model = try? variants.variant(named: name).model else { return [] }
        return model.parameterNames + ["input"] + model.activationNames
    }
}

/// What can go wrong asking for a tensor by name.
public enum InspectionError: Error, CustomStringConvertible, Equatable {
    case noTrace(tensor: String, variant: String)

    public var description: String {
        switch self {
        case let .noTrace(tensor, variant):
            return "\(tensor) is an activation: it exists after a sample goes through the model; run 'trace I\(variant.isEmpty ? "" : " \(variant)")' first"
        }
    }
}

