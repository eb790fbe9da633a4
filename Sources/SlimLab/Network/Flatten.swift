import SlimKernels

/// Views each sample as one feature vector: [batch, c, h, w] → [batch, c·h·w]. No copy.
public struct Flatten: Layer {
    public static let kind = "flatten"

    public var name: String
    public var parameters: [Parameter] = []
    private var lastInputShape: [Int]?

    public init(name: String) {
        self.name = name
    }

    public init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws {
        self.init(name: description.name)
    }

    public var description: LayerDescription { LayerDescription(kind: Self.kind, name: name) }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { [inputShape.reduce(1, *)] }

    public func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let batch = input.shape.first ?? 0
        return input.reshaped([batch, batch == 0 ? input.shape.dropFirst().reduce(1, *) : input.count / batch])
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        lastInputShape = input.shape
        return forward(input, pool: pool)
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let shape = lastInputShape else { preconditionFailure("Flatten \(name): backward without a training forward") }
        lastInputShape = nil
        return needsInputGradient ? outputGradient.reshaped(shape) : nil
    }

    public mutating func releaseTrainingState() { lastInputShape = nil }
}
