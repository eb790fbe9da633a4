import SlimKernels

/// A Dense layer's weights stored quantized — on an integer grid or in a ggml block format —
/// and dequantized for each product, which then runs on the fp32 GEMM. The size win of
/// weight-only quantization, without integer arithmetic.
public struct WeightOnlyDenseKernel: DenseInferenceKernel {
    /// How the weights are stored.
    public enum Storage: Sendable {
        case grid(QuantizedTensor)
        case blocks(BlockQuantizedTensor)
    }

    public let layerName: String
    public let storage: Storage

    public init(layerName: String, storage: Storage) {
        self.layerName = layerName
        self.storage = storage
    }

    public var label: String {
        switch storage {
        case .grid(let q): return "\(q.spec) weights"
        case .blocks(let b): return "\(b.format.displayName) weights"
        }
    }

    public var storedWeight: StoredTensor {
        switch storage {
        case .grid(let q):
            return StoredTensor(name: "\(layerName).weight", shape: q.shape, dtype: TensorDType(rawValue: "int\(q.spec.bits)"),
                                byteCount: q.storedBytes)
        case .blocks(let b):
            return StoredTensor(name: "\(layerName).weight", shape: b.shape, dtype: TensorDType(rawValue: b.format.rawValue),
                                byteCount: b.storedBytes)
        }
    }

    /// The weights the product uses, x̂ = s·(q − z) (or d·q per block).
    public var dequantizedWeight: Tensor<Float> {
        switch storage {
        case .grid(let q): return q.dequantized()
        case .blocks(let b): return b.dequantized()
        }
    }

    public var storedWeightValue: Tensor<Float>? { dequantizedWeight }

    public func forward(_ input: Tensor<Float>, bias: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        denseForward(input, weight: dequantizedWeight, bias: bias, pool: pool)
    }

    /// The new weights quantized with the same spec, or in the same block format.
    public func derived(weight: Tensor<Float>, mask: Tensor<Float>?, bias: Tensor<Float>) -> (any DenseInferenceKernel)? {
        let name = "\(layerName).weight"
        switch storage {
        case .grid(let q):
            guard let codes = try? QuantizedTensor.quantize(weight, spec: q.spec, name: name).quantized else { return nil }
            return WeightOnlyDenseKernel(layerName: layerName, storage: .grid(codes))
        case .blocks(let b):
            guard let blocks = try? BlockQuantizedTensor(weight, format: b.format, name: name) else { return nil }
            return WeightOnlyDenseKernel(layerName: layerName, storage: .blocks(blocks))
        }
    }
}

/// One Dense layer of a static int8 variant, run on its own: its Float input is quantized on
/// the calibrated input grid, multiplied on the int8 GEMM and dequantized to Float. The whole
/// model runs on `Int8Network` instead (codes flowing between layers); this kernel serves
/// per-layer views (tracing) and gives the layer its stored size.
public struct Int8DenseKernel: DenseInferenceKernel {
    public let stage: Int8DenseStage
    public let path: Int8GEMMPath

    public init(stage: Int8DenseStage, path: Int8GEMMPath = .best) {
        self.stage = stage
        self.path = path
    }

    public var label: String { "int\(stage.weight.spec.bits) \(stage.weight.spec.granularity.rawValue) (int8 GEMM)" }

    public var storedWeight: StoredTensor {
        StoredTensor(name: "\(stage.name).weight", shape: stage.weight.shape,
                     dtype: TensorDType(rawValue: "int\(stage.weight.spec.bits)"), byteCount: stage.weight.storedBytes)
    }

    /// ŵ = s·(q − z): the codes dequantized.
    public var storedWeightValue: Tensor<Float>? { stage.weight.dequantized() }

    public func forward(_ input: Tensor<Float>, bias: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let batch = input.shape[0], n = stage.outputFeatures
        let codes = quantizeActivation(input, stage.input)
        let dequantization = Int8Dequantization(activationScale: stage.input.scale, bias: bias.scalars)
        return Tensor<Float>(shape: [batch, n]) { y in
            codes.withUnsafeBufferPointer { a in
                gemmInt8(m: batch, a: a.baseAddress!, lda: stage.inputFeatures, aZeroPoint: Int32(stage.input.zeroPoint),
                         weights: stage.packed, dequantization: dequantization, c: y.baseAddress!, ldc: n,
                         pool: pool, path: path)
            }
        }
    }

    /// The new weights quantized with the same spec, on the same input grid.
    public func derived(weight: Tensor<Float>, mask: Tensor<Float>?, bias: Tensor<Float>) -> (any DenseInferenceKernel)? {
        guard let stage = stage.derived(weight: weight, bias: bias) else { return nil }
        return Int8DenseKernel(stage: stage, path: path)
    }
}

/// Y = X·Wᵀ + b on the fp32 GEMM, for kernels that compute with Float weights.
func denseForward(_ input: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
    input.matmul(weight, transposeOther: true, pool: pool).addingBias(bias)
}
