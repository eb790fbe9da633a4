import SlimKernels

/// max(0, x), elementwise. Backward lets the gradient through where the output is positive.
public struct ReLU: Layer {
    public static let kind = "relu"

    public var name: String
    public var parameters: [Parameter] = []
    private var lastOutput: Tensor<Float>?

    public init(name: String) {
        self.name = name
    }

    public init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws {
        self.init(name: description.name)
    }

    public var description: LayerDescription { LayerDescription(kind: Self.kind, name: name) }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        LayerMath.relu(input)
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let output = LayerMath.relu(input)
        lastOutput = output
        return output
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let output = lastOutput else { preconditionFailure("ReLU \(name): backward without a training forward") }
        precondition(outputGradient.shape == output.shape,
                     "ReLU \(name): gradient \(outputGradient.shape), expected \(output.shape)")
        return needsInputGradient ? LayerMath.reluGradient(outputGradient, output: output) : nil
    }

    public mutating func releaseTrainingState() { lastOutput = nil }
}
