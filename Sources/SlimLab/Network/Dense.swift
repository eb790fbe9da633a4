import SlimKernels

/// A fully connected layer: Y = X·Wᵀ + b, with W of shape [out, in] and b of shape [out]
/// (PyTorch's `nn.Linear` layout, so saved weights open there unchanged).
///
/// Forward is one GEMM (`gemm(.none, .transposed, …)`); backward is two more:
/// ∂L/∂W = (∂L/∂Y)ᵀ·X and ∂L/∂X = ∂L/∂Y·W, and ∂L/∂b sums ∂L/∂Y over the batch.
public struct Dense: Layer {
    public static let kind = "dense"

    public var name: String
    public let inputFeatures: Int
    public let outputFeatures: Int
    /// `[weight [out, in], bias [out]]`.
    public var parameters: [Parameter]
    /// How the weights were drawn (kept so the architecture re-creates the same layer).
    public let initialization: WeightInitialization
    /// Fake quantization (or another transform) applied to W in every forward; see
    /// `WeightTransform`.
    public var weightTransform: (any WeightTransform)?
    /// A swapped-in inference product (CSR, int8); see `DenseInferenceKernel`. Setting one
    /// records the weights it was built from; reading it gives the kernel for the weights as
    /// they are now, derived again from the same specification when they changed since.
    public var inferenceKernel: (any DenseInferenceKernel)? {
        get {
            kernelSlot?.kernel(for: kernelSources) { template in
                template.derived(weight: weight, mask: parameters[0].mask, bias: bias)
            }
        }
        set { kernelSlot = newValue.map { DerivedKernelSlot($0, sources: kernelSources) } }
    }
    private var kernelSlot: DerivedKernelSlot<any DenseInferenceKernel>?
    /// What the kernel is a function of: weight, bias and (when pruned) mask.
    private var kernelSources: [Tensor<Float>] {
        [parameters[0].value, parameters[1].value] + (parameters[0].mask.map { [$0] } ?? [])
    }

    private var lastInput: Tensor<Float>?
    private var lastWeight: Tensor<Float>?

    /// A layer with weights drawn by `initialization` from `generator` and zero biases.
    public init(name: String, inputFeatures: Int, outputFeatures: Int,
                initialization: WeightInitialization = .heNormal,
                generator: inout SeededGenerator) {
        precondition(inputFeatures > 0 && outputFeatures > 0,
                     "Dense \(name): sizes must be positive, got \(inputFeatures)→\(outputFeatures)")
        let weight = initialization.sample(shape: [outputFeatures, inputFeatures], fanIn: inputFeatures,
                                           fanOut: outputFeatures, generator: &generator)
        self.init(name: name, weight: weight, bias: .zeros([outputFeatures]), initialization: initialization)
    }

    /// A layer with the given weight [out, in] and bias [out].
    public init(name: String, weight: Tensor<Float>, bias: Tensor<Float>,
                initialization: WeightInitialization = .heNormal) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[0]],
                     "Dense \(name): weight \(weight.shape) and bias \(bias.shape) do not fit [out, in] and [out]")
        self.name = name
        self.outputFeatures = weight.shape[0]
        self.inputFeatures = weight.shape[1]
        self.initialization = initialization
        self.parameters = [Parameter(name: "weight", role: .weight, value: weight),
                           Parameter(name: "bias", role: .bias, value: bias)]
    }

    /// This layer with other parameters (`[weight [out', in'], bias [out']]`, sizes may
    /// differ): the same name, initialization, weight transform and kernel specification, the
    /// kernel derived again from the new weights.
    public func withParameters(_ parameters: [Parameter]) -> Dense {
        var new = Dense(name: name, weight: parameters[0].value, bias: parameters[1].value, initialization: initialization)
        new.parameters = parameters
        new.weightTransform = weightTransform
        new.kernelSlot = kernelSlot
        return new
    }

    public init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws {
        let input = try description.integer("in"), output = try description.integer("out")
        guard inputShape == [input] else {
            throw ModelError.shapeMismatch(layer: description.name, expected: "[\(input)]", got: inputShape)
        }
        var initialization = WeightInitialization.heNormal
        if let text = description.attributes["init"] {
            guard let parsed = WeightInitialization(rawValue: text) else {
                throw ModelError.invalidAttribute(
                    layer: description.name, attribute: "init", value: text,
                    allowed: WeightInitialization.allCases.map(\.rawValue).joined(separator: ", "))
            }
            initialization = parsed
        }
        self.init(name: description.name, inputFeatures: input, outputFeatures: output,
                  initialization: initialization, generator: &generator)
    }

    public var description: LayerDescription {
        var attributes = ["in": String(inputFeatures), "out": String(outputFeatures)]
        attributes["init"] = initialization.rawValue
        return LayerDescription(kind: Self.kind, name: name, attributes: attributes)
    }

    /// The weight matrix [out, in].
    public var weight: Tensor<Float> { parameters[0].value }
    /// The bias vector [out].
    public var bias: Tensor<Float> { parameters[1].value }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape == [inputFeatures] else {
            throw ModelError.shapeMismatch(layer: name, expected: "[\(inputFeatures)] (flatten first)", got: inputShape)
        }
        return [outputFeatures]
    }

    public var storedTensors: [StoredTensor] {
        let weightStorage = inferenceKernel?.storedWeight
            ?? StoredTensor(name: "\(name).weight", shape: weight.shape, dtype: .float32,
                            byteCount: weight.count * MemoryLayout<Float>.size)
        return [weightStorage,
                StoredTensor(name: "\(name).bias", shape: bias.shape, dtype: .float32,
                             byteCount: bias.count * MemoryLayout<Float>.size)]
    }

    public func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        // A weight transform (QAT's fake quantization) simulates the deployment in Float; it
        // takes precedence over a kernel of the weights it transforms.
        if weightTransform == nil, let inferenceKernel {
            return inferenceKernel.forward(input, bias: bias, pool: pool)
        }
        return affine(input, weight: weightTransform?.transformed(weight) ?? weight, pool: pool)
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let effective = weightTransform?.transformed(weight) ?? weight
        lastInput = input
        lastWeight = effective
        return affine(input, weight: effective, pool: pool)
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let input = lastInput, let effective = lastWeight else {
            preconditionFailure("Dense \(name): backward without a training forward")
        }
        releaseTrainingState()
        let batch = input.shape[0]
        precondition(outputGradient.shape == [batch, outputFeatures],
                     "Dense \(name): output gradient \(outputGradient.shape), expected [\(batch), \(outputFeatures)]")
        let (n, k) = (inputFeatures, outputFeatures)

        var weightGradient = Tensor<Float>(shape: [k, n]) { dW in
            outputGradient.withUnsafeBufferPointer { dY in
                input.withUnsafeBufferPointer { x in
                    gemm(.transposed, .none, m: k, n: n, k: batch,
                         a: dY.baseAddress!, lda: k, b: x.baseAddress!, ldb: n,
                         c: dW.baseAddress!, ldc: n, pool: pool)
                }
            }
        }
        if let weightTransform {
            weightGradient = weightTransform.gradient(weightGradient, weight: weight)
        }
        parameters[0].gradient = weightGradient
        parameters[1].gradient = Tensor(shape: [k]) { db in
            outputGradient.withUnsafeBufferPointer { dY in
                columnSums(dY.baseAddress!, rows: batch, columns: k, into: db.baseAddress!)
            }
        }
        guard needsInputGradient else { return nil }
        return Tensor(shape: [batch, n]) { dX in
            outputGradient.withUnsafeBufferPointer { dY in
                effective.withUnsafeBufferPointer { w in
                    gemm(.none, .none, m: batch, n: n, k: k,
                         a: dY.baseAddress!, lda: k, b: w.baseAddress!, ldb: n,
                         c: dX.baseAddress!, ldc: n, pool: pool)
                }
            }
        }
    }

    public mutating func releaseTrainingState() {
        lastInput = nil
        lastWeight = nil
    }

    /// X·Wᵀ + b on the fp32 GEMM.
    private func affine(_ input: Tensor<Float>, weight: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        precondition(input.rank == 2 && input.shape[1] == inputFeatures,
                     "Dense \(name): input \(input.shape), expected [batch, \(inputFeatures)]")
        let batch = input.shape[0], (n, k) = (outputFeatures, inputFeatures)
        return Tensor(shape: [batch, n]) { y in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        gemm(.none, .transposed, m: batch, n: n, k: k,
                             a: x.baseAddress!, lda: k, b: w.baseAddress!, ldb: k,
                             c: y.baseAddress!, ldc: n, pool: pool)
                        addBias(b.baseAddress!, to: y.baseAddress!, rows: batch, columns: n)
                    }
                }
            }
        }
    }
}
