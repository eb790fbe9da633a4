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
        input.relu()
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let output = input.relu()
        lastOutput = output
        return output
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let output = lastOutput else { preconditionFailure("ReLU \(name): backward without a training forward") }
        lastOutput = nil
        precondition(outputGradient.shape == output.shape,
                     "ReLU \(name): gradient \(outputGradient.shape), expected \(output.shape)")
        guard needsInputGradient else { return nil }
        // The output is positive exactly where the input was, so it serves as the mask.
        return Tensor(shape: output.shape) { dX in
            output.withUnsafeBufferPointer { y in
                outputGradient.withUnsafeBufferPointer { dY in
                    reluBackward(input: y.baseAddress!, outputGradient: dY.baseAddress!,
                                 inputGradient: dX.baseAddress!, count: y.count)
                }
            }
        }
    }

    public mutating func releaseTrainingState() { lastOutput = nil }
}
