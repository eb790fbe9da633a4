import SlimKernels

/// Max pooling over non-overlapping size×size windows of each channel (stride = size; a last
/// row or column that does not fill a window is dropped, as in PyTorch's default).
/// Backward routes each output's gradient to the input that won its window (the first one
/// on ties, in row-major order).
public struct MaxPool2D: Layer {
    public static let kind = "maxpool2d"

    public var name: String
    /// The window side and stride.
    public let size: Int
    public var parameters: [Parameter] = []
    private var lastInputShape: [Int]?
    private var lastWinners: [Int] = []

    public init(name: String, size: Int = 2) {
        precondition(size >= 1, "MaxPool2D \(name): size must be ≥ 1, got \(size)")
        self.name = name
        self.size = size
    }

    public init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws {
        let size = description.attributes["size"] == nil ? 2 : try description.integer("size")
        self.init(name: description.name, size: size)
        _ = try outputShape(for: inputShape)
    }

    public var description: LayerDescription {
        LayerDescription(kind: Self.kind, name: name, integers: ["size": size])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3, inputShape[1] >= size, inputShape[2] >= size else {
            throw ModelError.shapeMismatch(layer: name, expected: "[channels, height ≥ \(size), width ≥ \(size)]",
                                           got: inputShape)
        }
        return [inputShape[0], inputShape[1] / size, inputShape[2] / size]
    }

    public func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        pooled(input, recordWinners: false).output
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let (output, winners) = pooled(input, recordWinners: true)
        lastInputShape = input.shape
        lastWinners = winners
        return output
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let inputShape = lastInputShape else {
            preconditionFailure("MaxPool2D \(name): backward without a training forward")
        }
        let winnerIndices = lastWinners
        releaseTrainingState()
        guard needsInputGradient else { return nil }
        precondition(outputGradient.count == winnerIndices.count,
                     "MaxPool2D \(name): gradient \(outputGradient.shape) does not match the last output")
        return Tensor(shape: inputShape) { dX in
            outputGradient.withUnsafeBufferPointer { dY in
                winnerIndices.withUnsafeBufferPointer { winners in
                    maxPool2DBackward(outputGradient: dY.baseAddress!, argmax: winners.baseAddress!,
                                      outputCount: dY.count, inputGradient: dX.baseAddress!, inputCount: dX.count)
                }
            }
        }
    }

    public mutating func releaseTrainingState() {
        lastInputShape = nil
        lastWinners = []
    }

    /// The pooled batch and, when asked, the flat input index that won each output.
    private func pooled(_ input: Tensor<Float>, recordWinners: Bool) -> (output: Tensor<Float>, winners: [Int]) {
        precondition(input.rank == 4, "MaxPool2D \(name): input \(input.shape), expected [batch, c, h, w]")
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let outputShape = [batch, channels, height / size, width / size]
        var winners = [Int](repeating: 0, count: recordWinners ? outputShape.reduce(1, *) : 0)
        let output = Tensor<Float>(shape: outputShape) { y in
            input.withUnsafeBufferPointer { x in
                winners.withUnsafeMutableBufferPointer { w in
                    maxPool2D(x.baseAddress!, planes: batch * channels, height: height, width: width,
                              window: size, stride: size, output: y.baseAddress!,
                              argmax: recordWinners ? w.baseAddress! : nil)
                }
            }
        }
        return (output, winners)
    }
}
