import SlimKernels

/// How a static int8 variant's engine is kept in a model file: its Dense weights are `grid`
/// forms (see `WeightForm`), and what the engine adds is one activation range per
/// quantization point — the input, then every hidden layer's output — as `input.range`,
/// `relu1.out.range`, … (F32 [2]: min, max). The metadata key `slimlab.engine` names the
/// activation width and the points in order (`int8-static activation_bits=8
/// ranges=input,relu1.out`). Loading compiles the engine again from the codes, the biases and
/// the ranges, exactly as `quantize` did, so it computes the same codes bit for bit.
struct EngineForm: Equatable {
    static let key = "slimlab.engine"
    static let kind = "int8-static"

    var activationBits: Int
    /// The quantization points, in order, with the range each grid spans.
    var ranges: [(name: String, min: Float, max: Float)]

    static func == (a: EngineForm, b: EngineForm) -> Bool {
        a.activationBits == b.activationBits && a.ranges.map(\.name) == b.ranges.map(\.name)
            && a.ranges.map(\.min) == b.ranges.map(\.min) && a.ranges.map(\.max) == b.ranges.map(\.max)
    }

    /// Writes `engine` (an `Int8Network`; other engines have no file form and are left out,
    /// with a note) into `file`.
    static func write(_ engine: any ModelInferenceEngine, into file: inout SafetensorsFile) {
        guard let network = engine as? Int8Network else {
            file.metadata[key + ".note"] = "the \(engine.label) engine has no file form; the model loads without it"
            return
        }
        let points = [network.input] + network.stages.compactMap(\.output)
        let bits = network.input.parameters.range.bits
        file.metadata[key] = "\(kind) activation_bits=\(bits) ranges=" + points.map(\.name).joined(separator: ",")
        let levels = (1 << bits) - 1, qmin = -(1 << (bits - 1))
        for point in points {
            let name = point.name + VariantCodec.rangeSuffix
            file[name] = try? SafetensorsTensor(shape: [2], scalars: [point.derivation.observedMin, point.derivation.observedMax])
            file.metadata[name] = "[min, max] of \(point.name) (F32 [2]), widened to include 0; its int\(bits) grid: "
                + "s = (max − min)/\(levels), z = \(qmin) − round(min/s), q = clamp(round(x/s) + z)"
        }
        file.metadata[key + ".words"] = "each Dense layer runs on the int8 GEMM, the ReLU after it fused; its int32 sums, "
            + "plus the bias in sum units round(b/(s_x·s_w)), are requantized onto the next range's grid; the last layer writes F32"
    }

    /// The engine a file records, or nil when it records none.
    static func read(from file: SafetensorsFile, path: String) throws -> EngineForm? {
        guard let text = file.metadata[key] else { return nil }
        let bad = ModelFileError.badMetadata(path: path, key: key, value: text)
        guard let (head, settings) = WeightForm.words(text), head == kind,
              let bits = settings["activation_bits"].flatMap({ Int($0) }),
              (IntegerRange.minimumBits...IntegerRange.maximumBits).contains(bits),
              let names = settings["ranges"]?.split(separator: ",").map(String.init), !names.isEmpty else { throw bad }
        var ranges: [(name: String, min: Float, max: Float)] = []
        for name in names {
            let values = try VariantCodec.entry(name + VariantCodec.rangeSuffix, dtype: .float32, shape: [2],
                                                in: file, path: path).scalars(as: Float.self)
            ranges.append((name, values[0], values[1]))
        }
        return EngineForm(activationBits: bits, ranges: ranges)
    }

    /// `model` (whose Dense weights were read as `grids`, by layer name) running on the engine
    /// compiled from them.
    func compile(_ model: Model, grids: [String: QuantizedTensor], path: String) throws -> Model {
        do {
            let links = try StaticQuantization.chain(of: model)
            var weights: [QuantizedTensor] = []
            for link in links {
                let name = model.layers[link.denseIndex].name
                guard let grid = grids[name] else {
                    throw ModelFileError.badStorage(path: path, name: "\(name).weight",
                                                    reason: "the int8 engine needs it stored as integer codes (a grid form)")
                }
                weights.append(grid)
            }
            let activation = ranges.map { StaticQuantization.ActivationRange(name: $0.name, min: $0.min, max: $0.max) }
            let engine = try StaticQuantization.compile(model, quantizedWeights: weights, activationBits: activationBits,
                                                        ranges: activation)
            return try StaticQuantization.variant(of: model, running: engine)
        } catch let error as QuantizationError {
            throw ModelFileError.badStorage(path: path, name: Self.key, reason: "\(error)")
        }
    }
}
