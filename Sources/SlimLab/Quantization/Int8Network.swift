import SlimKernels

/// The quantization of one activation of the int8 engine: where it is, its grid, and how the
/// range was calibrated.
public struct ActivationQuantization: Sendable {
    /// `input` for the model input, else the tensor whose values it quantizes (`relu1.out`).
    public var name: String
    public var parameters: QuantizationParameters
    /// How the range was chosen (nil when given directly, as QAT's tracked ranges are).
    public var calibration: CalibrationResult?
    /// The range derivation: widened range, scale and zero point with the numbers.
    public var derivation: RangeDerivation

    public init(name: String, derivation: RangeDerivation, calibration: CalibrationResult?) {
        self.name = name
        self.parameters = derivation.parameters
        self.calibration = calibration
        self.derivation = derivation
    }
}

/// One Dense layer of the int8 engine (with the ReLU after it fused in):
///
///     acc[i, j] = Σₚ (q_x[i, p] − z_x)·(q_w[j, p] − z_w[j])            exact, in int32
///     q_y[i, j] = clamp(round((acc + b32[j]) · M_j) + z_y, lo, q_max)   M_j = s_x·s_w[j] / s_y
///
/// with b32[j] = round(b[j] / (s_x·s_w[j])), the bias in accumulator units, and lo = z_y under a
/// fused ReLU. The last layer instead writes Floats: y = s_x·s_w[j]·acc + b[j].
public struct Int8DenseStage: Sendable {
    /// The Dense layer's name (`fc1`) and the fused ReLU's, if any.
    public var name: String
    public var fusedReLUName: String?
    /// The weights as stored (packed codes, scales, zero points).
    public var weight: QuantizedTensor
    /// The same codes packed for the int8 GEMM.
    public var packed: PackedInt8Weights
    /// The grid of this layer's input.
    public var input: QuantizationParameters
    /// The grid of this layer's output, or nil for the last layer (Float logits).
    public var output: ActivationQuantization?
    /// The bias in accumulator units, round(b / (s_x·s_w)).
    public var integerBias: [Int32]
    /// The Float bias (used as such by the last layer).
    public var floatBias: [Float]

    public var fusedReLU: Bool { fusedReLUName != nil }
    public var inputFeatures: Int { packed.inputCount }
    public var outputFeatures: Int { packed.outputCount }

    /// The requantization multipliers M_j = s_x·s_w[j] / s_y (empty for the last layer).
    public var multipliers: [Float] {
        guard let output else { return [] }
        return (0..<outputFeatures).map {
            Int8Requantization(activationScale: input.scale, outputScale: output.parameters.scale,
                               outputZeroPoint: Int32(output.parameters.zeroPoint))
                .multiplier(weightScale: packed.scale($0))
        }
    }
}

/// A network compiled to run end to end on integers: the input is quantized once, every
/// Dense layer runs on SlimKernels' int8 GEMM with requantization (and ReLU) fused into its
/// epilogue, int8 codes flow between layers, and only the last layer writes Floats. Nothing
/// in between is dequantized.
public struct Int8Network: ModelInferenceEngine {
    /// The model input's grid.
    public var input: ActivationQuantization
    public var stages: [Int8DenseStage]
    /// Which int8 GEMM runs (the fastest available unless a test pins one).
    public var path: Int8GEMMPath

    public var label: String {
        let bits = stages.first?.weight.spec.bits ?? 8
        return "int\(bits) static (\(path.rawValue))"
    }

    public init(input: ActivationQuantization, stages: [Int8DenseStage], path: Int8GEMMPath = .best) {
        precondition(!stages.isEmpty, "Int8Network: no layers")
        precondition(stages.last?.output == nil && stages.dropLast().allSatisfy { $0.output != nil },
                     "Int8Network: every layer but the last must requantize its output")
        self.input = input
        self.stages = stages
        self.path = path
    }

    /// The engine compiled again from `model`'s Dense weights and biases with the same weight
    /// specs, activation grids and path (nil when a stage's layer is gone or cannot be
    /// quantized).
    public func derived(for model: Model) -> (any ModelInferenceEngine)? {
        var derivedStages: [Int8DenseStage] = []
        for stage in stages {
            guard let dense = model.layers.first(where: { $0.name == stage.name }) as? Dense,
                  let fresh = stage.derived(weight: dense.weight, bias: dense.bias) else { return nil }
            derivedStages.append(fresh)
        }
        return Int8Network(input: input, stages: derivedStages, path: path)
    }

    public var inputFeatureCount: Int { stages[0].inputFeatures }
    public var classCount: Int { stages[stages.count - 1].outputFeatures }

    public func logits(_ features: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        run(features, pool: pool).logits
    }

    /// The logits and the int8 codes of every activation on the way (input first).
    public func run(_ features: Tensor<Float>, pool: ComputePool) -> (logits: Tensor<Float>, codes: [Tensor<Int8>]) {
        let batch = features.shape.first ?? 0
        precondition(features.count == batch * inputFeatureCount,
                     "Int8Network: input \(features.shape) does not hold rows of \(inputFeatureCount) features")
        var codes = [quantizeActivation(features.reshaped([batch, inputFeatureCount]), input.parameters)]
        for stage in stages.dropLast() {
            codes.append(requantizingLayer(stage, codes[codes.count - 1], pool: pool))
        }
        return (dequantizingLayer(stages[stages.count - 1], codes[codes.count - 1], pool: pool), codes)
    }

    /// One requantizing layer: the int8 GEMM's exact int32 accumulators, requantized in the
    /// same pass — the int32 bias added, scaled by M_j, z_y added and clamped onto the output's
    /// code range (int8, or narrower codes), from z_y up under the fused ReLU (see
    /// `Int8Requantization`).
    private func requantizingLayer(_ stage: Int8DenseStage, _ x: Tensor<Int8>, pool: ComputePool) -> Tensor<Int8> {
        let batch = x.shape[0], n = stage.outputFeatures
        let out = stage.output!.parameters
        let r = Int8Requantization(activationScale: stage.input.scale, bias: stage.integerBias, outputScale: out.scale,
                                   outputZeroPoint: Int32(out.zeroPoint), relu: stage.fusedReLU,
                                   qmin: Int32(out.range.qmin), qmax: Int32(out.range.qmax))
        return Tensor<Int8>(shape: [batch, n]) { y in
            x.withUnsafeBufferPointer { a in
                gemmInt8(m: batch, a: a.baseAddress!, lda: stage.inputFeatures, aZeroPoint: Int32(stage.input.zeroPoint),
                         weights: stage.packed, requantization: r, c: y.baseAddress!, ldc: n, pool: pool, path: path)
            }
        }
    }

    private func dequantizingLayer(_ stage: Int8DenseStage, _ x: Tensor<Int8>, pool: ComputePool) -> Tensor<Float> {
        let batch = x.shape[0], n = stage.outputFeatures
        let dequantization = Int8Dequantization(activationScale: stage.input.scale, bias: stage.floatBias,
                                                relu: stage.fusedReLU)
        return Tensor<Float>(shape: [batch, n]) { y in
            x.withUnsafeBufferPointer { a in
                gemmInt8(m: batch, a: a.baseAddress!, lda: stage.inputFeatures, aZeroPoint: Int32(stage.input.zeroPoint),
                         weights: stage.packed, dequantization: dequantization, c: y.baseAddress!, ldc: n,
                         pool: pool, path: path)
            }
        }
    }
}

/// Float activations to int8 codes on a grid: SlimKernels' `quantize` (x/s rounded half to
/// even, plus z, clamped, NaN to q_min), which runs on the kernel targets for Int8 codes.
func quantizeActivation(_ x: Tensor<Float>, _ p: QuantizationParameters) -> Tensor<Int8> {
    Tensor<Int8>(shape: x.shape) { q in
        x.withUnsafeBufferPointer { values in
            guard !values.isEmpty else { return }
            quantize(values.baseAddress!, count: values.count, scale: p.scale, zeroPoint: Int32(p.zeroPoint),
                     qmin: Int32(p.range.qmin), qmax: Int32(p.range.qmax), into: q.baseAddress!)
        }
    }
}

extension Int8DenseStage {
    /// This stage for other weights and bias: quantized with the same spec, on the same grids.
    func derived(weight: Tensor<Float>, bias: Tensor<Float>) -> Int8DenseStage? {
        guard let quantized = try? QuantizedTensor.quantize(weight, spec: self.weight.spec, name: "\(name).weight").quantized
        else { return nil }
        return Int8DenseStage(name: name, fusedReLUName: fusedReLUName, weight: quantized, bias: bias,
                              input: input, output: output)
    }

    /// A stage from a Dense layer's Float weight and bias, its weight quantization, and the
    /// grids of its input and (unless last) output.
    public init(name: String, fusedReLUName: String?, weight quantized: QuantizedTensor, bias: Tensor<Float>,
                input: QuantizationParameters, output: ActivationQuantization?) {
        precondition(quantized.shape.count == 2, "Int8DenseStage: weight \(quantized.shape) is not [out, in]")
        let codes = quantized.codes
        let scales = quantized.parameters.map(\.scale)
        let zeroPoints = quantized.parameters.map { Int32($0.zeroPoint) }
        self.name = name
        self.fusedReLUName = fusedReLUName
        self.weight = quantized
        self.packed = PackedInt8Weights(weights: codes, scales: scales, zeroPoints: zeroPoints)
        self.input = input
        self.output = output
        self.floatBias = bias.scalars
        let packed = self.packed
        self.integerBias = bias.scalars.enumerated().map { j, b in
            let units = (Double(b) / (Double(input.scale) * Double(packed.scale(j)))).rounded(.toNearestOrEven)
            return Int32(min(max(units, Double(Int32.min)), Double(Int32.max)))
        }
    }
}
