import SlimKernels

/// What `qat` is asked to do.
public struct QATOptions: Sendable, Equatable {
    /// Weight (and activation, unless `activationBits` says otherwise) code width.
    public var bits: Int
    public var activationBits: Int?
    public var scheme: QuantizationScheme
    public var granularity: QuantizationGranularity
    /// The fine-tuning run (epochs, learning rate, …).
    public var training: TrainingOptions
    /// How the activation ranges are set before the first step (as `quantize` would set them,
    /// so QAT starts from the PTQ variant), and from how many training rows.
    public var calibration: CalibrationSettings
    public var calibrationSamples: Int
    /// The moving-average constant of the activation ranges during training.
    public var movingAverageConstant: Float

    public init(bits: Int = 4, activationBits: Int? = nil, scheme: QuantizationScheme = .symmetric,
                granularity: QuantizationGranularity = .tensor, training: TrainingOptions = QATOptions.defaultTraining,
                calibration: CalibrationSettings = CalibrationSettings(), calibrationSamples: Int = 256,
                movingAverageConstant: Float = 0.01) {
        self.bits = bits
        self.activationBits = activationBits
        self.scheme = scheme
        self.granularity = granularity
        self.training = training
        self.calibration = calibration
        self.calibrationSamples = calibrationSamples
        self.movingAverageConstant = movingAverageConstant
    }

    /// Fine-tuning defaults: a few epochs at a tenth of the training learning rate, constant,
    /// without weight decay (the weights should stay where the trained model had them). On the
    /// digits MLP at 4 bits, accuracy wobbles for an epoch or two while the weights settle onto
    /// the grid, and is back within a point of fp32 after five.
    public static var defaultTraining: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = 5
        options.learningRate = 0.0003
        options.weightDecay = 0
        options.schedule = .constant
        return options
    }

    public var weightSpec: QuantizationSpec { QuantizationSpec(bits: bits, scheme: scheme, granularity: granularity) }
    public var effectiveActivationBits: Int { activationBits ?? bits }

    public func validated() throws -> QATOptions {
        _ = try IntegerRange(bits: bits, scheme: scheme)
        if let activationBits { _ = try IntegerRange(bits: activationBits, scheme: .affine) }
        var checked = self
        checked.calibration.bits = effectiveActivationBits
        _ = try checked.calibration.validated()
        guard calibrationSamples > 0 else {
            throw QuantizationError.invalidArgument(name: "samples", value: "\(calibrationSamples)", allowed: "a positive number of rows")
        }
        guard movingAverageConstant > 0 && movingAverageConstant <= 1 else {
            throw QuantizationError.invalidArgument(name: "c", value: "\(movingAverageConstant)", allowed: "a value in (0, 1]")
        }
        try training.validate()
        return checked
    }

    /// "int4 QAT symmetric per-tensor".
    public var summary: String {
        let activations = effectiveActivationBits == bits ? "" : " a\(effectiveActivationBits)"
        return "int\(bits)\(activations) QAT \(scheme.rawValue) per-\(granularity.rawValue)"
    }
}

/// A quantization-aware training run: the fine-tuned, converted int8-engine variant, and the
/// accuracy it recovered epoch by epoch.
public struct QATRun: Sendable {
    public var options: QATOptions
    /// The converted variant (runs on the int8 engine); the source model is untouched.
    public var variant: Model
    /// Test accuracy of the fake-quantized model before the first step: plain PTQ with the
    /// same grids, where QAT starts from.
    public var initialAccuracy: Double?
    /// The fine-tuning run, with test accuracy after every epoch (of the fake-quantized model).
    public var training: TrainingReport
    /// Test accuracy of the converted integer variant.
    public var finalAccuracy: Double?
    public var engine: Int8Network
    /// The activation grids the training tracked: the input, then every hidden output.
    public var activations: [ActivationQuantization]
    public var weightReports: [TensorQuantizationReport]
    public var sourceBytes: Int
    public var variantBytes: Int
}

/// Quantization-aware training, in PyTorch's three steps: prepare (fake quantization in the
/// forward pass: weights through `WeightFakeQuantization`, activations through `FakeQuantize`
/// layers at the engine's quantization points), fine-tune (the straight-through estimator in
/// the backward pass), convert (compile the int8 engine with the learned weights and the
/// tracked ranges).
public enum QuantizationAwareTraining {
    /// A copy of `model` with fake quantization inserted; activation ranges start from a
    /// calibration (`options.calibration`) on `calibration` rows.
    public static func prepare(_ model: Model, options: QATOptions, calibration: Tensor<Float>,
                               pool: ComputePool) throws -> Model {
        let links = try StaticQuantization.chain(of: model)
        let ranges = try StaticQuantization.calibrate(model, data: calibration,
                                                      settings: options.calibration, pool: pool)
        var afterLayer: [Int: FakeQuantize] = [:]
        for (link, range) in zip(links.dropLast(), ranges.dropFirst()) {
            let index = link.reluIndex ?? link.denseIndex
            afterLayer[index] = FakeQuantize(name: "fq_\(model.layers[index].name)", bits: options.effectiveActivationBits,
                                             constant: options.movingAverageConstant,
                                             range: (range.result.min, range.result.max))
        }
        var layers: [any Layer] = []
        for (index, layer) in model.layers.enumerated() {
            if index == links[0].denseIndex {
                layers.append(FakeQuantize(name: "fq_input", bits: options.effectiveActivationBits,
                                           constant: options.movingAverageConstant,
                                           range: (ranges[0].result.min, ranges[0].result.max)))
            }
            if var dense = layer as? Dense {
                dense.weightTransform = WeightFakeQuantization(spec: options.weightSpec)
                layers.append(dense)
            } else {
                layers.append(layer)
            }
            if let fq = afterLayer[index] { layers.append(fq) }
        }
        var prepared = try Model(inputShape: model.inputShape, layers: layers)
        prepared.completedEpochs = model.completedEpochs
        return prepared
    }

    /// `prepare` with the first `options.calibrationSamples` training rows of `data`.
    public static func prepare(_ model: Model, options: QATOptions, data: DatasetSplit, pool: ComputePool) throws -> Model {
        let rows = min(options.calibrationSamples, data.train.count)
        guard rows > 0 else { throw QuantizationError.noCalibrationData }
        return try prepare(model, options: options, calibration: data.train.features.rows(0..<rows), pool: pool)
    }

    /// The integer variant of a prepared (and fine-tuned) model: fake-quant layers removed,
    /// their ranges and the weights compiled into the int8 engine.
    public static func convert(_ prepared: Model, options: QATOptions)
        throws -> (variant: Model, engine: Int8Network, weightReports: [TensorQuantizationReport]) {
        var ranges: [StaticQuantization.ActivationRange] = []
        var layers: [any Layer] = []
        for layer in prepared.layers {
            if let fq = layer as? FakeQuantize {
                let name = fq.name == "fq_input" ? "input" : "\(fq.name.dropFirst(3)).out"
                guard let range = fq.range else { throw QuantizationError.nothingObserved(fq.name) }
                ranges.append(.init(name: name, min: range.min, max: range.max))
                continue
            }
            if var dense = layer as? Dense {
                dense.weightTransform = nil
                layers.append(dense)
            } else {
                layers.append(layer)
            }
        }
        var plain = try Model(inputShape: prepared.inputShape, layers: layers)
        plain.completedEpochs = prepared.completedEpochs
        var weightReports: [TensorQuantizationReport] = []
        for link in try StaticQuantization.chain(of: plain) {
            let dense = try StaticQuantization.denseLayer(plain, link)
            weightReports.append(try TensorQuantizationReport(name: "\(dense.name).weight", tensor: dense.weight,
                                                              spec: options.weightSpec))
        }
        let engine = try StaticQuantization.compile(plain, quantizedWeights: weightReports.map(\.quantized),
                                                    activationBits: options.effectiveActivationBits, ranges: ranges)
        let variant = try StaticQuantization.variant(of: plain, running: engine)
        return (variant, engine, weightReports)
    }

    /// Prepares (unless given the `prepare`d model, so the ranges are calibrated once),
    /// fine-tunes on `data` and converts. `observer` hears every batch and epoch.
    public static func run(_ model: Model, prepared: Model? = nil, data: DatasetSplit, options: QATOptions,
                           pool: ComputePool, stop: StopSignal? = nil,
                           observer: ((TrainingEvent) -> Void)? = nil) throws -> QATRun {
        let options = try options.validated()
        var prepared = try prepared ?? prepare(model, options: options, data: data, pool: pool)
        let initialAccuracy = data.test.count > 0 ? try prepared.accuracy(on: data.test, pool: pool) : nil
        let training = try Trainer.train(&prepared, on: data, options: options.training, pool: pool, stop: stop,
                                         observer: observer)
        if training.stopped { throw QuantizationError.interrupted }
        let (variant, engine, weightReports) = try convert(prepared, options: options)
        let finalAccuracy = data.test.count > 0 ? try variant.accuracy(on: data.test, pool: pool) : nil
        return QATRun(options: options, variant: variant, initialAccuracy: initialAccuracy, training: training,
                      finalAccuracy: finalAccuracy, engine: engine,
                      activations: [engine.input] + engine.stages.compactMap(\.output), weightReports: weightReports,
                      sourceBytes: model.storedByteCount, variantBytes: variant.storedByteCount)
    }
}
