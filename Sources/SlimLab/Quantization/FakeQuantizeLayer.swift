import SlimKernels

/// Fake quantization of an activation for quantization-aware training: a layer that passes
/// its input through quantize-then-dequantize on an affine grid whose range follows the
/// training batches with a moving average (min ← min + c·(batch min − min), c = 0.01, the first
/// batch setting it), and lets the gradient through where the input was inside the range (the
/// straight-through estimator).
///
/// QAT inserts one before the first Dense layer (the model input) and one after every hidden
/// ReLU: exactly the points where the int8 engine quantizes. Inference (`forward`) uses the
/// range as it stands, without updating it.
public struct FakeQuantize: Layer {
    public static let kind = "fakequant"

    public var name: String
    public var parameters: [Parameter] = []
    /// The activation code width.
    public let bits: Int
    /// The moving-average constant.
    public let constant: Float
    /// The tracked range; nil until a batch has been seen.
    public private(set) var range: (min: Float, max: Float)?
    /// Training batches seen.
    public private(set) var batches = 0
    private var lastInput: Tensor<Float>?
    private var lastGrid: QuantizationParameters?

    public init(name: String, bits: Int, constant: Float = 0.01, range: (min: Float, max: Float)? = nil) {
        precondition((IntegerRange.minimumBits...IntegerRange.maximumBits).contains(bits),
                     "FakeQuantize \(name): bits \(bits) outside 2…8")
        self.name = name
        self.bits = bits
        self.constant = constant
        self.range = range
    }

    public init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws {
        let bits = try description.integer("bits", minimum: IntegerRange.minimumBits)
        guard bits <= IntegerRange.maximumBits else {
            throw ModelError.invalidAttribute(layer: description.name, attribute: "bits", value: "\(bits)",
                                              allowed: "an integer from 2 to 8")
        }
        self.init(name: description.name, bits: bits)
    }

    public var description: LayerDescription {
        LayerDescription(kind: Self.kind, name: name, integers: ["bits": bits])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    /// The grid of the tracked range (nil before any batch).
    public var grid: QuantizationParameters? {
        guard let range else { return nil }
        return try? QuantizationParameters.forRange(min: range.min, max: range.max, bits: bits, scheme: .affine)
    }

    public func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        guard let grid else { return input }
        return fakeQuantized(input, grid)
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let (lo, hi) = input.withUnsafeBufferPointer(minMax)
        if let current = range {
            range = (current.min + constant * (lo - current.min), current.max + constant * (hi - current.max))
        } else {
            range = (lo, hi)
        }
        batches += 1
        lastInput = input
        lastGrid = grid
        guard let lastGrid else { return input }
        return fakeQuantized(input, lastGrid)
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let input = lastInput else { preconditionFailure("FakeQuantize \(name): backward without a training forward") }
        guard needsInputGradient else { return nil }
        guard let lastGrid else { return outputGradient }
        return straightThrough(outputGradient, input: input, grids: [lastGrid])
    }

    public mutating func releaseTrainingState() {
        lastInput = nil
        lastGrid = nil
    }
}
