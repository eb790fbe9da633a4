import Foundation
import SlimKernels

/// Models as safetensors files that keep a variant as it is: every parameter under its
/// model-wide name (`fc1.weight`, PyTorch's `state_dict` layout) in the form the variant stores
/// it — F32 as trained, CSR for a pruned layer, int8 (or packed narrower) codes with their
/// scales and zero points for a quantized one, llama.cpp's Q8_0/Q4_0 blocks as they are — plus
/// pruning masks as bits, and a static int8 variant's activation ranges (see `WeightForm` and
/// `EngineForm` for the layouts). The file is the variant's bytes plus a header; the header's
/// `__metadata__` holds the architecture (JSON), the epochs trained, and per stored tensor the
/// scheme in words:
///
/// ```python
/// from safetensors import safe_open
/// with safe_open("q8.safetensors", "np") as f:
///     f.metadata()["fc1.weight"]   # 'int8 codes q (I8 [64, 64]), symmetric per output channel …; w = s·q'
///     w = f.get_tensor("fc1.weight") * f.get_tensor("fc1.weight.scale")[:, None]
/// ```
///
/// Writing is atomic (a temporary file renamed over the target), so a failed save never
/// leaves a half-written model. Reading checks everything before building anything; files of
/// format 1 (F32 parameters, U8 `_mask` tensors) still load, and a file without SlimLab's
/// metadata whose tensors are `fc1.weight`, `fc1.bias`, `fc2.weight`, … is read as the MLP
/// they describe.
public enum ModelFile {
    /// The `__metadata__` keys.
    public enum Key {
        public static let format = "format"
        public static let architecture = "slimlab.architecture"
        public static let specification = "slimlab.specification"
        public static let masks = "slimlab.masks"
        public static let completedEpochs = "slimlab.completed_epochs"
        public static let name = "slimlab.name"
        public static let scheme = "slimlab.scheme"
    }

    /// The value of `format` in files SlimLab writes.
    public static let formatName = "slimlab-model-2"
    /// The formats SlimLab reads (format 1 kept every weight as F32).
    public static let readableFormats: Set<String> = ["slimlab-model-1", formatName]

    /// The file's content for `model`, saved under the variant name `name`.
    public static func encode(_ model: Model, name: String? = nil) -> SafetensorsFile {
        var metadata = [Key.format: formatName,
                        Key.architecture: model.architecture.jsonText(),
                        Key.specification: model.architecture.specification,
                        Key.completedEpochs: String(model.completedEpochs)]
        if let name { metadata[Key.name] = name }
        var file = SafetensorsFile(metadata: metadata)
        var masked: [String] = []
        let codebooks = model.codebooks
        for layer in model.layers {
            for parameter in layer.parameters {
                let fullName = "\(layer.name).\(parameter.name)"
                if parameter.mask != nil { masked.append(fullName) }
                if let codebook = codebooks[fullName] {
                    VariantCodec.writeShared(parameter, codebook: codebook, name: fullName,
                                             kernel: (layer as? Dense)?.inferenceKernel, into: &file)
                } else if let dense = layer as? Dense, parameter.role == .weight {
                    VariantCodec.writeWeight(parameter, name: fullName, kernel: dense.inferenceKernel, into: &file)
                } else {
                    VariantCodec.writeFloat(parameter, name: fullName, into: &file)
                }
            }
        }
        if let engine = model.inferenceEngine { EngineForm.write(engine, into: &file) }
        if !masked.isEmpty { file.metadata[Key.masks] = masked.joined(separator: ",") }
        let kept = file.metadata.keys.contains { $0.hasPrefix(VariantCodec.storagePrefix) } || !masked.isEmpty
        file.metadata[Key.scheme] = kept
            ? "tensors named like a PyTorch state_dict; each tensor not in F32 as trained is described under its own name here"
            : "tensors named like a PyTorch state_dict, all F32 as trained"
        return file
    }

    /// Writes `model` to `path` atomically.
    public static func write(_ model: Model, name: String? = nil, to path: String) throws {
        try encode(model, name: name).write(to: path)
    }

    /// Reads a model from `path`.
    public static func read(from path: String, registry: LayerRegistry = .standard,
                            budget: ResourceBudget = ResourceBudget()) throws -> (model: Model, name: String?) {
        let file = try SafetensorsFile.read(from: path, limit: budget.maxFileBytes)
        return (try decode(file, path: path, registry: registry, budget: budget), file.metadata[Key.name])
    }

    /// Builds the model a file describes, or throws naming what is wrong: the architecture is
    /// checked against `budget` before anything is allocated, and parameters holding NaN or
    /// infinity, or masks holding anything but 0 and 1, are refused (such a file is damaged;
    /// SlimLab never writes one).
    public static func decode(_ file: SafetensorsFile, path: String = "(memory)",
                              registry: LayerRegistry = .standard,
                              budget: ResourceBudget = ResourceBudget()) throws -> Model {
        if let format = file.metadata[Key.format], format.hasPrefix("slimlab-"), !readableFormats.contains(format) {
            throw ModelFileError.badMetadata(path: path, key: Key.format, value: format)
        }
        let architecture: ModelArchitecture
        if let json = file.metadata[Key.architecture] {
            do {
                architecture = try ModelArchitecture(jsonText: json)
            } catch {
                throw ModelFileError.badArchitecture(path: path, reason: "\(error)")
            }
        } else if let inferred = inferredMLP(file) {
            architecture = inferred
        } else {
            throw ModelFileError.noArchitecture(path: path, tensors: file.names)
        }
        var generator = SeededGenerator(seed: 0)
        var model: Model
        do {
            model = try architecture.makeModel(generator: &generator, registry: registry, budget: budget)
        } catch {
            throw ModelFileError.badArchitecture(path: path, reason: "\(error)")
        }
        var layers = model.layers
        var grids: [String: QuantizedTensor] = [:]
        var codebooks: [String: WeightCodebook] = [:]
        for index in layers.indices {
            let layerName = layers[index].name
            var dense = layers[index] as? Dense
            // The kernel goes on once every parameter of the layer is in place: it is derived
            // state, recorded against the weight, mask and bias it was built from.
            var kernel: (any DenseInferenceKernel)?
            for p in layers[index].parameters.indices {
                let parameter = layers[index].parameters[p]
                let name = "\(layerName).\(parameter.name)"
                if dense != nil, parameter.role == .weight {
                    let decoded = try VariantCodec.readWeight(name, layerName: layerName, shape: parameter.value.shape,
                                                              in: file, path: path)
                    dense!.parameters[p].value = decoded.value
                    dense!.parameters[p].mask = decoded.mask
                    kernel = decoded.kernel
                    if let grid = decoded.grid { grids[layerName] = grid }
                    if let codebook = decoded.codebook { codebooks[name] = codebook }
                } else if parameter.role == .weight, try VariantCodec.form(of: name, in: file, path: path).kind == .shared {
                    let form = try VariantCodec.form(of: name, in: file, path: path)
                    let decoded = try VariantCodec.readShared(name, form: form, shape: parameter.value.shape, in: file, path: path)
                    layers[index].parameters[p].value = decoded.value
                    layers[index].parameters[p].mask = decoded.mask
                    codebooks[name] = decoded.codebook
                } else {
                    if try VariantCodec.form(of: name, in: file, path: path).kind != .f32 {
                        throw ModelFileError.badStorage(path: path, name: name, reason: "only weights are stored quantized, shared or in CSR")
                    }
                    var value = parameter
                    value.value = try VariantCodec.readFloat(name, shape: parameter.value.shape, in: file, path: path)
                    value.mask = try VariantCodec.readMask(name, shape: parameter.value.shape, in: file, path: path)
                    value.applyMask()
                    if dense != nil { dense!.parameters[p] = value } else { layers[index].parameters[p] = value }
                }
            }
            if var dense {
                dense.inferenceKernel = kernel
                layers[index] = dense
            }
        }
        try model.replaceLayers(layers)
        model.codebooks = codebooks
        if let engine = try EngineForm.read(from: file, path: path) {
            model = try engine.compile(model, grids: grids, path: path)
        }
        if let text = file.metadata[Key.completedEpochs] {
            guard let epochs = Int(text), epochs >= 0 else {
                throw ModelFileError.badMetadata(path: path, key: Key.completedEpochs, value: text)
            }
            model.completedEpochs = epochs
        }
        return model
    }

    /// The MLP that tensors `fc1.weight` [h1, in], `fc1.bias` [h1], `fc2.weight` [h2, h1], …
    /// describe, for files written without SlimLab's metadata (a PyTorch `state_dict`).
    static func inferredMLP(_ file: SafetensorsFile) -> ModelArchitecture? {
        var sizes: [Int] = []
        var index = 1
        while let weight = file["fc\(index).weight"] {
            guard weight.shape.count == 2, file["fc\(index).bias"]?.shape == [weight.shape[0]] else { return nil }
            if sizes.isEmpty { sizes.append(weight.shape[1]) }
            guard sizes.last == weight.shape[1] else { return nil }
            sizes.append(weight.shape[0])
            index += 1
        }
        let expected = Set((1..<index).flatMap { ["fc\($0).weight", "fc\($0).bias"] })
        guard sizes.count >= 2, Set(file.names.filter { !$0.hasSuffix("_mask") }) == expected else { return nil }
        return .mlp(sizes: sizes)
    }
}

/// Why a model file could not be read as a model (the file itself is checked by the
/// safetensors codec, whose errors pass through).
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    case noArchitecture(path: String, tensors: [String])
    case badArchitecture(path: String, reason: String)
    case badMetadata(path: String, key: String, value: String)
    case missingTensor(path: String, name: String, expectedShape: [Int])
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    case dtypeMismatch(path: String, name: String, found: String, expected: String)
    case badStorage(path: String, name: String, reason: String)
    case nonFinite(path: String, name: String, index: Int, value: String)
    case nonBinaryMask(path: String, name: String, index: Int, value: Int)

    public var description: String {
        switch self {
        case let .noArchitecture(path, tensors):
            let list = tensors.count > 6 ? tensors.prefix(6).joined(separator: ", ") + ", …" : tensors.joined(separator: ", ")
            return "'\(path)' has no SlimLab architecture in its metadata, and its tensors (\(list)) are not an MLP's fc1.weight, fc1.bias, fc2.weight, …"
        case let .badArchitecture(path, reason):
            return "'\(path)': the architecture in its metadata is unusable: \(reason)"
        case let .badMetadata(path, key, value):
            return "'\(path)': metadata \(key)='\(value)' is not valid"
        case let .missingTensor(path, name, shape):
            return "'\(path)' lacks the tensor \(name) (shape \(ModelError.shapeText(shape))) that its architecture needs"
        case let .shapeMismatch(path, name, expected, found):
            return "'\(path)': tensor \(name) has shape \(ModelError.shapeText(found)), its architecture needs \(ModelError.shapeText(expected))"
        case let .dtypeMismatch(path, name, found, expected):
            return "'\(path)': tensor \(name) is \(found); its storage needs \(expected)"
        case let .badStorage(path, name, reason):
            return "'\(path)': tensor \(name) cannot be read back: \(reason)"
        case let .nonFinite(path, name, index, value):
            return "'\(path)': tensor \(name) holds \(value) at element \(index); a model's parameters must be finite numbers (the file is damaged)"
        case let .nonBinaryMask(path, name, index, value):
            return "'\(path)': mask \(name) holds \(value) at element \(index); a pruning mask holds only 0 (pruned) and 1 (kept)"
        }
    }
}
