import SlimKernels

/// Static (weights and activations) quantization of a model to the int8 engine: find the
/// layers it runs, calibrate the activation ranges on sample data, then compile.
public enum StaticQuantization {
    /// A Dense layer of the model with the ReLU fused into it, if one follows.
    public struct ChainLink: Sendable, Equatable {
        public var denseIndex: Int
        public var reluIndex: Int?
    }

    /// What the engine runs: flatten layers (free on row-major codes), then Dense layers, each
    /// optionally followed by a ReLU; anything else is refused with the layer named.
    public static func chain(of model: Model) throws(QuantizationError) -> [ChainLink] {
        var links: [ChainLink] = []
        for (index, layer) in model.layers.enumerated() {
            switch layer {
            case is Flatten:
                continue
            case is Dense:
                links.append(ChainLink(denseIndex: index, reluIndex: nil))
            case is ReLU where !links.isEmpty && links[links.count - 1].reluIndex == nil
                && links[links.count - 1].denseIndex == index - 1:
                links[links.count - 1].reluIndex = index
            default:
                throw .unsupportedLayer(name: layer.name, kind: layer.kind,
                                        allowed: "dense layers, each optionally followed by relu, and flatten")
            }
        }
        guard let last = links.last, last.denseIndex >= model.layers.count - 2 else {
            let layer = model.layers.last
            throw .unsupportedLayer(name: layer?.name ?? "?", kind: layer?.kind ?? "?",
                                    allowed: "dense layers, each optionally followed by relu, and flatten")
        }
        return links
    }

    /// The name of the activation each link's output grid quantizes (`relu1.out`, `fc2.out`).
    static func outputName(_ link: ChainLink, in model: Model) -> String {
        "\(model.layers[link.reluIndex ?? link.denseIndex].name).out"
    }

    /// Runs `data` (rows of features) through the Float model in batches and lets one observer
    /// per quantization point (the input, then every link's output but the last) watch it.
    /// Checks `stop` between batches.
    public static func calibrate(_ model: Model, data: Tensor<Float>, settings: CalibrationSettings,
                                 batchSize: Int = 32, pool: ComputePool,
                                 stop: StopSignal? = nil) throws(QuantizationError) -> [(name: String, result: CalibrationResult)] {
        let settings = try settings.validated()
        let links = try chain(of: model)
        let rows = data.shape.first ?? 0
        guard rows > 0 else { throw .noCalibrationData }
        do {
            try model.checkInput(data, from: "the calibration rows")
        } catch {
            throw .dataMismatch(error.description)
        }
        let features = data.count / rows
        var names = ["input"]
        var layerOfPoint: [Int] = []
        for link in links.dropLast() {
            names.append(outputName(link, in: model))
            layerOfPoint.append(link.reluIndex ?? link.denseIndex)
        }
        var observers = names.map { _ in makeObserver(settings) }
        var start = 0
        while start < rows {
            if stop?.isRequested == true { throw .interrupted }
            let count = min(batchSize, rows - start)
            let batch = Tensor<Float>(shape: [count, features]) { out in
                data.withUnsafeBufferPointer { x in
                    out.baseAddress!.update(from: x.baseAddress! + start * features, count: count * features)
                }
            }
            observers[0].observe(batch)
            let activations = model.activations(batch, pool: pool)
            for (point, layerIndex) in layerOfPoint.enumerated() {
                observers[point + 1].observe(activations[layerIndex].value)
            }
            start += count
        }
        var results: [(name: String, result: CalibrationResult)] = []
        for (name, observer) in zip(names, observers) { results.append((name, try observer.result())) }
        return results
    }

    /// An activation range to compile: from a calibration, or given (QAT's tracked ranges).
    public struct ActivationRange: Sendable {
        public var name: String
        public var min: Float
        public var max: Float
        public var calibration: CalibrationResult?

        public init(name: String, min: Float, max: Float, calibration: CalibrationResult? = nil) {
            self.name = name
            self.min = min
            self.max = max
            self.calibration = calibration
        }

        /// The range a calibration chose.
        public init(name: String, calibration: CalibrationResult) {
            self.init(name: name, min: calibration.min, max: calibration.max, calibration: calibration)
        }
    }

    /// Compiles the model's chain with its Dense weights quantized under `weightSpec`.
    public static func compile(_ model: Model, weightSpec: QuantizationSpec, activationBits: Int,
                               ranges: [ActivationRange], path: Int8GEMMPath = .best) throws(QuantizationError) -> Int8Network {
        let links = try chain(of: model)
        var weights: [QuantizedTensor] = []
        for link in links {
            let dense = try denseLayer(model, link)
            weights.append(try QuantizedTensor.quantize(dense.weight, spec: weightSpec, name: "\(dense.name).weight").quantized)
        }
        return try compile(model, quantizedWeights: weights, activationBits: activationBits, ranges: ranges, path: path)
    }

    /// Compiles the model's chain with given quantized weights (one per Dense layer, in order)
    /// and activations on `activationBits`-bit affine grids from `ranges` (the input's, then
    /// each link's output but the last, as `calibrate` returns them).
    public static func compile(_ model: Model, quantizedWeights: [QuantizedTensor], activationBits: Int,
                               ranges: [ActivationRange], path: Int8GEMMPath = .best) throws(QuantizationError) -> Int8Network {
        let links = try chain(of: model)
        guard ranges.count == links.count, quantizedWeights.count == links.count else {
            throw .invalidArgument(name: "ranges", value: "\(ranges.count)",
                                   allowed: "\(links.count) ranges (input and hidden outputs) and as many weights")
        }
        var grids: [ActivationQuantization] = []
        for r in ranges {
            grids.append(ActivationQuantization(
                name: r.name,
                derivation: try QuantizationParameters.derive(min: r.min, max: r.max, bits: activationBits, scheme: .affine),
                calibration: r.calibration))
        }
        var stages: [Int8DenseStage] = []
        for (index, link) in links.enumerated() {
            let dense = try denseLayer(model, link)
            let isLast = index == links.count - 1
            stages.append(Int8DenseStage(name: dense.name, fusedReLUName: link.reluIndex.map { model.layers[$0].name },
                                         weight: quantizedWeights[index], bias: dense.bias,
                                         input: grids[index].parameters, output: isLast ? nil : grids[index + 1]))
        }
        return Int8Network(input: grids[0], stages: stages, path: path)
    }

    /// A copy of `model` that runs on `engine`: each Dense weight replaced by what its codes
    /// represent, each Dense layer carrying its int8 kernel (for per-layer views and sizes).
    public static func variant(of model: Model, running engine: Int8Network) throws(QuantizationError) -> Model {
        var variant = model
        let links = try chain(of: model)
        for (link, stage) in zip(links, engine.stages) {
            var dense = try denseLayer(model, link)
            dense.parameters[0].value = stage.weight.dequantized()
            dense.weightTransform = nil
            dense.inferenceKernel = Int8DenseKernel(stage: stage, path: engine.path)
            do {
                try variant.replaceLayer(at: link.denseIndex, with: dense)
            } catch {
                throw .unsupportedLayer(name: dense.name, kind: dense.kind, allowed: "a layer of the same shape (\(error))")
            }
        }
        variant.inferenceEngine = engine
        return variant
    }

    static func denseLayer(_ model: Model, _ link: ChainLink) throws(QuantizationError) -> Dense {
        guard let dense = model.layers[link.denseIndex] as? Dense else {
            let layer = model.layers[link.denseIndex]
            throw .unsupportedLayer(name: layer.name, kind: layer.kind, allowed: "dense layers")
        }
        return dense
    }
}
