import Foundation
import SlimKernels

/// Models as safetensors files: every parameter as an F32 tensor under its model-wide name
/// (`fc1.weight`, PyTorch's `state_dict` layout), every pruning mask as a U8 tensor named like
/// PyTorch's pruning buffers (`fc1.weight_mask`), and in `__metadata__` the architecture (as
/// JSON), the names of the masked parameters and the epochs trained.
///
/// ```python
/// from safetensors.numpy import load_file
/// weights = load_file("baseline.safetensors")     # {"fc1.weight": array(64, 64), …}
/// ```
///
/// Writing is atomic (a temporary file renamed over the target), so a failed save never
/// leaves a half-written model. Reading checks everything before building anything; a file
/// without SlimLab's metadata whose tensors are `fc1.weight`, `fc1.bias`, `fc2.weight`, … is
/// read as the MLP they describe.
public enum ModelFile {
    /// The `__metadata__` keys.
    public enum Key {
        public static let format = "format"
        public static let architecture = "slimlab.architecture"
        public static let specification = "slimlab.specification"
        public static let masks = "slimlab.masks"
        public static let completedEpochs = "slimlab.completed_epochs"
        public static let name = "slimlab.name"
    }

    /// The value of `format` in files SlimLab writes.
    public static let formatName = "slimlab-model-1"

    /// The file's content for `model`, saved under the variant name `name`.
    public static func encode(_ model: Model, name: String? = nil) -> SafetensorsFile {
        var metadata = [Key.format: formatName,
                        Key.architecture: model.architecture.jsonText(),
                        Key.specification: model.architecture.specification,
                        Key.completedEpochs: String(model.completedEpochs)]
        if let name { metadata[Key.name] = name }
        var file = SafetensorsFile(metadata: metadata)
        var masked: [String] = []
        for layer in model.layers {
            for parameter in layer.parameters {
                let fullName = "\(layer.name).\(parameter.name)"
                file[fullName] = SafetensorsTensor(parameter.value)
                if let mask = parameter.mask {
                    masked.append(fullName)
                    file[fullName + "_mask"] = SafetensorsTensor(Tensor<UInt8>(shape: mask.shape) { bytes in
                        mask.withUnsafeBufferPointer { m in
                            for i in 0..<m.count { bytes[i] = m[i] != 0 ? 1 : 0 }
                        }
                    })
                }
            }
            if let extra = layer as? any PersistentLayerState {
                for (name, tensor) in extra.extraFileTensors() { file[name] = tensor }
            }
        }
        file.metadata[Key.masks] = masked.joined(separator: ",")
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
        let masked = Set((file.metadata[Key.masks] ?? "").split(separator: ",").map(String.init))
        try model.updateParameters { name, parameter in
            guard let stored = file[name] else {
                throw ModelFileError.missingTensor(path: path, name: name, expectedShape: parameter.value.shape)
            }
            guard stored.shape == parameter.value.shape else {
                throw ModelFileError.shapeMismatch(path: path, name: name, expected: parameter.value.shape, found: stored.shape)
            }
            guard stored.dtype == .float32 else {
                throw ModelFileError.dtypeMismatch(path: path, name: name, found: stored.dtype.rawValue)
            }
            parameter.value = try file.tensor(name, as: Float.self)
            if let bad = parameter.value.withUnsafeBufferPointer({ $0.firstIndex { !$0.isFinite } }) {
                throw ModelFileError.nonFinite(path: path, name: name, index: bad,
                                               value: parameter.value[flat: bad].isNaN ? "NaN" : "infinity")
            }
            if masked.contains(name) {
                guard let maskEntry = file[name + "_mask"], maskEntry.shape == parameter.value.shape else {
                    throw ModelFileError.missingTensor(path: path, name: name + "_mask", expectedShape: parameter.value.shape)
                }
                let bytes = try file.tensor(name + "_mask", as: UInt8.self)
                if let bad = bytes.withUnsafeBufferPointer({ $0.firstIndex { $0 > 1 } }) {
                    throw ModelFileError.nonBinaryMask(path: path, name: name + "_mask", index: bad, value: Int(bytes[flat: bad]))
                }
                parameter.mask = Tensor(shape: bytes.shape) { mask in
                    bytes.withUnsafeBufferPointer { b in
                        for i in 0..<b.count { mask[i] = b[i] != 0 ? 1 : 0 }
                    }
                }
                parameter.applyMask()
            }
        }
        var layers = model.layers
        for index in layers.indices {
            if var stateful = layers[index] as? any PersistentLayerState & Layer {
                try stateful.restoreExtraFileTensors(from: file, path: path)
                layers[index] = stateful
            }
        }
        try model.replaceLayers(layers)
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

/// A layer whose state goes beyond its fp32 parameters — quantized codes, scales, a sparse
/// copy — and travels in the model file as extra tensors (small settings belong in its
/// `LayerDescription` attributes, which the architecture JSON carries).
public protocol PersistentLayerState {
    /// The extra tensors, named model-wide (`fc1.weight_scale`).
    func extraFileTensors() -> [(name: String, tensor: SafetensorsTensor)]
    /// Restores the extra state from the file, after the parameters are loaded.
    mutating func restoreExtraFileTensors(from file: SafetensorsFile, path: String) throws
}

/// Why a model file could not be read as a model (the file itself is checked by the
/// safetensors codec, whose errors pass through).
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    case noArchitecture(path: String, tensors: [String])
    case badArchitecture(path: String, reason: String)
    case badMetadata(path: String, key: String, value: String)
    case missingTensor(path: String, name: String, expectedShape: [Int])
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    case dtypeMismatch(path: String, name: String, found: String)
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
        case let .dtypeMismatch(path, name, found):
            return "'\(path)': tensor \(name) is \(found); SlimLab reads parameters as F32"
        case let .nonFinite(path, name, index, value):
            return "'\(path)': tensor \(name) holds \(value) at element \(index); a model's parameters must be finite numbers (the file is damaged)"
        case let .nonBinaryMask(path, name, index, value):
            return "'\(path)': mask \(name) holds \(value) at element \(index); a pruning mask holds only 0 (pruned) and 1 (kept)"
        }
    }
}
