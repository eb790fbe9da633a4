import SlimKernels

/// How a quantized variant stores its weights (and, when static, its activation grids): the
/// specification, apart from any weights, so that a Float model can be quantized the same way
/// (`apply(to:)`) — a model file's weights, or a fresh model built from a variant's weights.
///
/// The variant itself never needs it to stay true: its kernels and int8 engine are derived
/// from its weights and follow them through training (see `DenseInferenceKernel`).
public struct QuantizedStorage: Sendable {
    enum Layout: Sendable {
        /// Per Dense layer (by name): its weight-only storage kind.
        case weightOnly([String: WeightOnlyKind])
        /// The engine's weight specs (per stage), activation width and ranges.
        case staticInteger(specs: [QuantizationSpec], activationBits: Int, ranges: [StaticQuantization.ActivationRange],
                           path: Int8GEMMPath)
    }

    enum WeightOnlyKind: Sendable {
        case grid(QuantizationSpec)
        case blocks(BlockFormat)
    }

    let layout: Layout

    /// The storage of `model`, or nil when it holds no quantized layer.
    public static func capture(_ model: Model) -> QuantizedStorage? {
        if let engine = model.inferenceEngine as? Int8Network {
            let ranges = ([engine.input] + engine.stages.compactMap(\.output)).map {
                StaticQuantization.ActivationRange(name: $0.name, min: $0.derivation.observedMin,
                                                   max: $0.derivation.observedMax, calibration: $0.calibration)
            }
            let bits = engine.input.parameters.range.bits
            return QuantizedStorage(layout: .staticInteger(specs: engine.stages.map(\.weight.spec), activationBits: bits,
                                                           ranges: ranges, path: engine.path))
        }
        var kinds: [String: WeightOnlyKind] = [:]
        for case let dense as Dense in model.layers {
            guard let kernel = dense.inferenceKernel as? WeightOnlyDenseKernel else { continue }
            switch kernel.storage {
            case .grid(let q): kinds[dense.name] = .grid(q.spec)
            case .blocks(let b): kinds[dense.name] = .blocks(b.format)
            }
        }
        return kinds.isEmpty ? nil : QuantizedStorage(layout: .weightOnly(kinds))
    }

    /// `model`'s Float weights quantized the way this storage says: weight-only variants with
    /// the same spec or block format, static variants compiled to the int8 engine with the
    /// same weight specs and activation ranges.
    public func apply(to model: Model) throws -> Model {
        switch layout {
        case let .staticInteger(specs, activationBits, ranges, path):
            let links = try StaticQuantization.chain(of: model)
            var weights: [QuantizedTensor] = []
            for (link, spec) in zip(links, specs) {
                let dense = try StaticQuantization.denseLayer(model, link)
                weights.append(try QuantizedTensor.quantize(dense.weight, spec: spec, name: "\(dense.name).weight").quantized)
            }
            let engine = try StaticQuantization.compile(model, quantizedWeights: weights, activationBits: activationBits,
                                                        ranges: ranges, path: path)
            return try StaticQuantization.variant(of: model, running: engine)
        case .weightOnly(let kinds):
            var result = model
            for (index, layer) in model.layers.enumerated() {
                guard var dense = layer as? Dense, let kind = kinds[dense.name] else { continue }
                let storage: WeightOnlyDenseKernel.Storage
                switch kind {
                case .grid(let spec):
                    storage = .grid(try QuantizedTensor.quantize(dense.weight, spec: spec, name: "\(dense.name).weight").quantized)
                case .blocks(let format):
                    storage = .blocks(try BlockQuantizedTensor(dense.weight, format: format, name: "\(dense.name).weight"))
                }
                let kernel = WeightOnlyDenseKernel(layerName: dense.name, storage: storage)
                dense.parameters[0].value = kernel.dequantizedWeight
                dense.inferenceKernel = kernel
                try result.replaceLayer(at: index, with: dense)
            }
            return result
        }
    }
}
