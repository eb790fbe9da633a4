import SlimKernels

/// How a quantized variant stores its weights (and, when static, its activation grids), so
/// that training can run on the Float weights and the result be quantized again the same way.
///
/// A quantized variant's Dense layers carry kernels built from their weights at quantization
/// time; trained on, those would keep computing with the old codes. `Workspace.train` takes
/// the storage off before training (`removed(from:)`) and puts it back on the trained weights
/// (`apply(to:)`): weight-only variants re-quantize with the same spec or block format, static
/// variants recompile the int8 engine with the same weight spec and activation ranges.
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

    /// `model` with its quantized kernels and engine taken off: Float layers holding the
    /// weights the codes stood for.
    public func removed(from model: Model) throws -> Model {
        var plain = model
        plain.inferenceEngine = nil
        for (index, layer) in model.layers.enumerated() {
            guard var dense = layer as? Dense,
                  dense.inferenceKernel is WeightOnlyDenseKernel || dense.inferenceKernel is Int8DenseKernel else { continue }
            dense.inferenceKernel = nil
            try plain.replaceLayer(at: index, with: dense)
        }
        return plain
    }

    /// `model`'s (trained) Float weights quantized again the way they were stored before.
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
