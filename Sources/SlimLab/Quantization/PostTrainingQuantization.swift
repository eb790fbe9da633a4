import SlimKernels

/// What `quantize` is asked to do.
public struct QuantizationOptions: Sendable, Equatable {
    /// Weight code width (and activation width, unless `activationBits` says otherwise).
    public var bits: Int
    /// Activation code width of a static variant; nil: the same as `bits`.
    public var activationBits: Int?
    /// The weight scheme (activations are always affine: post-ReLU values are all ≥ 0).
    public var scheme: QuantizationScheme
    public var granularity: QuantizationGranularity
    /// Keep Float activations and dequantize the weights for each product.
    public var weightsOnly: Bool
    /// A ggml block format for the weights (implies weights only).
    public var format: BlockFormat?
    public var calibration: CalibrationSettings
    /// How many training rows calibrate the activation ranges.
    public var calibrationSamples: Int

    public init(bits: Int = 8, activationBits: Int? = nil, scheme: QuantizationScheme = .symmetric,
                granularity: QuantizationGranularity = .tensor, weightsOnly: Bool = false, format: BlockFormat? = nil,
                calibration: CalibrationSettings = CalibrationSettings(), calibrationSamples: Int = 256) {
        self.bits = bits
        self.activationBits = activationBits
        self.scheme = scheme
        self.granularity = granularity
        self.weightsOnly = weightsOnly
        self.format = format
        self.calibration = calibration
        self.calibrationSamples = calibrationSamples
    }

    /// The three ways a variant can be quantized.
    public enum Mode: String, Sendable {
        /// Weights on an integer grid, dequantized for Float products.
        case weightOnly = "weight-only"
        /// Weights in a ggml block format, dequantized for Float products.
        case blockFormat = "block format"
        /// Weights and activations on the int8 engine.
        case staticInteger = "static"
    }

    public var mode: Mode { format != nil ? .blockFormat : weightsOnly ? .weightOnly : .staticInteger }

    /// The weight quantization.
    public var weightSpec: QuantizationSpec { QuantizationSpec(bits: bits, scheme: scheme, granularity: granularity) }

    /// The activation width in effect.
    public var effectiveActivationBits: Int { activationBits ?? bits }

    /// Checks every value, naming the first bad one.
    public func validated() throws(QuantizationError) -> QuantizationOptions {
        _ = try IntegerRange(bits: bits, scheme: scheme)
        if let activationBits { _ = try IntegerRange(bits: activationBits, scheme: .affine) }
        var calibration = self.calibration
        calibration.bits = effectiveActivationBits
        _ = try calibration.validated()
        guard calibrationSamples > 0 else {
            throw .invalidArgument(name: "samples", value: "\(calibrationSamples)", allowed: "a positive number of rows")
        }
        // Refused rather than silently clamped (the resource budget's calibration limit).
        let limit = ResourceBudget().maxCalibrationSamples
        guard calibrationSamples <= limit else {
            throw .invalidArgument(name: "samples", value: "\(calibrationSamples)",
                                   allowed: "at most \(limit) rows, the limit for calibration")
        }
        var checked = self
        checked.calibration = calibration
        return checked
    }

    /// A short description for variant tables ("int8 static per-channel", "Q4_0 weights").
    public var summary: String {
        switch mode {
        case .blockFormat: return "\(format!.displayName) weights"
        case .weightOnly: return "int\(bits) \(scheme.rawValue) per-\(granularity.rawValue) weights"
        case .staticInteger:
            let activations = effectiveActivationBits == bits ? "" : " a\(effectiveActivationBits)"
            return "int\(bits)\(activations) static \(scheme.rawValue) per-\(granularity.rawValue), \(calibration.method.rawValue)"
        }
    }
}

/// A quantization run: the new variant and everything there is to show about how it was made.
public struct QuantizationRun: Sendable {
    public var options: QuantizationOptions
    /// The quantized model; the source model is untouched.
    public var variant: Model
    /// Per quantized weight, in layer order (grid modes).
    public var weightReports: [TensorQuantizationReport]
    /// Per quantized weight, in layer order (block format).
    public var blockReports: [BlockQuantizationReport]
    /// The activation grids of a static variant: the input, then every hidden output.
    public var activations: [ActivationQuantization]
    /// The engine of a static variant.
    public var engine: Int8Network?
    /// One row per quantized weight.
    public var errorTable: [LayerQuantizationError]
    /// Tensors left in Float, with the reason.
    public var keptInFloat: [(name: String, reason: String)]
    /// The model's bytes before and after, as stored.
    public var sourceBytes: Int
    public var variantBytes: Int
}

/// Post-training quantization: a trained model in, a quantized variant and its report out.
public enum PostTrainingQuantization {
    /// Quantizes `model` as `options` say. A static variant calibrates its activation ranges on
    /// the first `options.calibrationSamples` rows of `calibrationData` (training rows).
    public static func run(_ model: Model, options: QuantizationOptions, calibrationData: Tensor<Float>?,
                           pool: ComputePool, stop: StopSignal? = nil) throws(QuantizationError) -> QuantizationRun {
        let options = try options.validated()
        var variant = model
        variant.inferenceEngine = nil
        var weightReports: [TensorQuantizationReport] = []
        var blockReports: [BlockQuantizationReport] = []
        var keptInFloat: [(name: String, reason: String)] = []
        var activations: [ActivationQuantization] = []
        var engine: Int8Network?

        switch options.mode {
        case .weightOnly, .blockFormat:
            for (index, layer) in model.layers.enumerated() {
                guard var dense = layer as? Dense else {
                    for parameter in layer.parameters where parameter.role == .weight {
                        keptInFloat.append(("\(layer.name).\(parameter.name)", "\(layer.kind) layers have no quantized kernel"))
                    }
                    continue
                }
                let name = "\(dense.name).weight"
                let storage: WeightOnlyDenseKernel.Storage
                if let format = options.format {
                    do {
                        let report = try BlockQuantizationReport(name: name, tensor: dense.weight, format: format)
                        blockReports.append(report)
                        storage = .blocks(report.quantized)
                    } catch .blockSizeMismatch(let count, let blockSize) {
                        keptInFloat.append((name, "rows of \(count) do not split into blocks of \(blockSize)"))
                        continue
                    }
                } else {
                    let report = try TensorQuantizationReport(name: name, tensor: dense.weight, spec: options.weightSpec)
                    weightReports.append(report)
                    storage = .grid(report.quantized)
                }
                let kernel = WeightOnlyDenseKernel(layerName: dense.name, storage: storage)
                dense.parameters[0].value = kernel.dequantizedWeight
                dense.weightTransform = nil
                dense.inferenceKernel = kernel
                try replace(&variant, at: index, with: dense)
            }
            if let format = options.format, blockReports.isEmpty {
                throw .noWeightInBlocks(format: format.displayName, reasons: keptInFloat.map { "\($0.name): \($0.reason)" })
            }
        case .staticInteger:
            guard let data = calibrationData, (data.shape.first ?? 0) > 0 else { throw .noCalibrationData }
            let links = try StaticQuantization.chain(of: model)
            for link in links {
                let dense = try StaticQuantization.denseLayer(model, link)
                weightReports.append(try TensorQuantizationReport(name: "\(dense.name).weight", tensor: dense.weight,
                                                                  spec: options.weightSpec))
            }
            let rows = min(options.calibrationSamples, data.shape[0])
            let features = data.count / data.shape[0]
            let sample = Tensor<Float>(shape: [rows, features]) { out in
                data.withUnsafeBufferPointer { out.baseAddress!.update(from: $0.baseAddress!, count: rows * features) }
            }
            let calibration = try StaticQuantization.calibrate(model, data: sample, settings: options.calibration,
                                                               pool: pool, stop: stop)
            let network = try StaticQuantization.compile(
                model, quantizedWeights: weightReports.map(\.quantized), activationBits: options.effectiveActivationBits,
                ranges: calibration.map { .init(name: $0.name, calibration: $0.result) })
            variant = try StaticQuantization.variant(of: variant, running: network)
            activations = [network.input] + network.stages.compactMap(\.output)
            engine = network
        }
        return QuantizationRun(
            options: options, variant: variant, weightReports: weightReports, blockReports: blockReports,
            activations: activations, engine: engine,
            errorTable: weightReports.map(\.errorRow) + blockReports.map(\.errorRow),
            keptInFloat: keptInFloat, sourceBytes: model.storedByteCount, variantBytes: variant.storedByteCount)
    }

    private static func replace(_ model: inout Model, at index: Int, with layer: Dense) throws(QuantizationError) {
        do {
            try model.replaceLayer(at: index, with: layer)
        } catch {
            throw .unsupportedLayer(name: layer.name, kind: layer.kind, allowed: "a layer of the same shape (\(error))")
        }
    }
}
