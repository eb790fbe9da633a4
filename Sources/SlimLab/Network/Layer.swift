import SlimKernels

/// One step of a network: it owns its parameters and their gradients, computes its output from
/// a batch, and (after a training forward) the gradients from the gradient of its output.
///
/// Tensors passed between layers hold a batch: shape `[batch] + sampleShape`, for example
/// `[32, 64]` into a Dense layer or `[32, 1, 8, 8]` into a Conv2D layer (NCHW).
///
/// Layers are values. A model copied into a new variant shares its tensors until either side
/// writes (copy-on-write), so a technique applied to the copy never changes the source.
///
/// Two forwards exist on purpose: `forward` is pure (inference, tracing, latency measurement,
/// and it may run on a swapped-in kernel such as CSR or int8), while `trainingForward` keeps
/// what `backward` needs (the input, a ReLU mask, pooling winners) and always runs in fp32.
public protocol Layer: Sendable {
    /// The kind written in architecture descriptions and model files (`dense`, `conv2d`, …).
    static var kind: String { get }

    /// Re-creates a layer from its description, with freshly initialized parameters drawn
    /// from `generator`. `inputShape` is the per-sample shape the layer will receive.
    init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws

    /// The layer's name, unique in its model (`fc1`, `relu1`, `conv1`).
    var name: String { get set }

    /// What re-creates this layer (kind, name and its integer or text attributes).
    var description: LayerDescription { get }

    /// The per-sample output shape for a per-sample input shape, or an error naming what the
    /// layer expected.
    func outputShape(for inputShape: [Int]) throws -> [Int]

    /// The trainable tensors, in a fixed order (weight before bias). Empty for ReLU, pooling
    /// and flatten.
    var parameters: [Parameter] { get set }

    /// How the layer's tensors are stored (dtype and bytes), for summaries and size columns.
    /// The default: every parameter as fp32.
    var storedTensors: [StoredTensor] { get }

    /// The output for a batch, without keeping anything for backward.
    func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float>

    /// The output for a batch, keeping what `backward` needs.
    mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float>

    /// Sets every parameter's `gradient` from ∂loss/∂output of the last `trainingForward`,
    /// and returns ∂loss/∂input when `needsInputGradient` (the first layer need not compute it).
    /// It consumes what the training forward kept, so the optimizer's update that follows
    /// writes the weights in place instead of copying them.
    mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                           pool: ComputePool) -> Tensor<Float>?

    /// Drops what `trainingForward` kept, so an idle model holds only its parameters.
    mutating func releaseTrainingState()
}

extension Layer {
    public var storedTensors: [StoredTensor] {
        parameters.map {
            StoredTensor(name: "\(name).\($0.name)", shape: $0.value.shape, dtype: .float32,
                         byteCount: $0.count * MemoryLayout<Float>.size)
        }
    }

    /// The layer's kind, read through an instance (also through `any Layer`).
    public var kind: String { Self.kind }
}

/// The shape of a tensor as stored on disk and in memory, for size accounting.
public struct StoredTensor: Sendable, Equatable {
    /// The model-wide name (`fc1.weight`).
    public var name: String
    public var shape: [Int]
    public var dtype: TensorDType
    /// Bytes as stored, including any side data (CSR indices, quantization scales).
    public var byteCount: Int

    public init(name: String, shape: [Int], dtype: TensorDType, byteCount: Int) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.byteCount = byteCount
    }
}

/// A storage type label (`f32`, `int8`, `csr-f32`, `q4_0`, …). Open, so that pruning and
/// quantization can name their formats beside the built-in ones.
public struct TensorDType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// 32-bit IEEE float, the training type.
    public static let float32 = TensorDType(rawValue: "f32")
}

/// Describes a layer well enough to re-create it: its kind, its name and its attributes
/// (`in=64`, `out=10` for a Dense layer). Architectures are lists of these.
public struct LayerDescription: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: String
    public var name: String
    /// Attribute values as text (integers in decimal); keys are printed sorted.
    public var attributes: [String: String]

    public init(kind: String, name: String, attributes: [String: String] = [:]) {
        self.kind = kind
        self.name = name
        self.attributes = attributes
    }

    public init(kind: String, name: String, integers: [String: Int]) {
        self.init(kind: kind, name: name, attributes: integers.mapValues(String.init))
    }

    /// `name: kind(key=value, …)`, for messages and architecture strings.
    public var description: String {
        let attributeText = attributes.keys.sorted().map { "\($0)=\(attributes[$0]!)" }
        return attributeText.isEmpty ? "\(name): \(kind)" : "\(name): \(kind)(\(attributeText.joined(separator: ", ")))"
    }

    /// The integer attribute `key`, or an error naming the layer and what is missing.
    public func integer(_ key: String, minimum: Int = 1) throws -> Int {
        guard let text = attributes[key] else {
            throw ModelError.missingAttribute(layer: name, kind: kind, attribute: key)
        }
        guard let value = Int(text), value >= minimum else {
            throw ModelError.invalidAttribute(layer: name, attribute: key, value: text,
                                              allowed: "an integer ≥ \(minimum)")
        }
        return value
    }
}
