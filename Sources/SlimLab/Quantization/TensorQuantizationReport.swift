import SlimKernels

/// Everything there is to show about quantizing one tensor, in the order a lesson tells it:
/// the observed range, the scale and zero point derived from it, one real element worked
/// through, the values with the grid over them, and the error.
public struct TensorQuantizationReport: Sendable {
    /// The tensor's name (`fc1.weight`).
    public var name: String
    public var shape: [Int]
    public var spec: QuantizationSpec
    /// The smallest and largest element of the whole tensor.
    public var observedMin: Float
    public var observedMax: Float
    /// One derivation per parameter set (one, or one per output channel).
    public var derivations: [RangeDerivation]
    /// A representative element carried through quantize and dequantize.
    public var workedExample: QuantizationWorkedExample
    /// The values (of the tensor, or of the worked example's channel) with the grid.
    public var distribution: GridOverlay
    public var metrics: QuantizationErrorMetrics
    /// 4 bytes per element, and the bytes as stored quantized.
    public var floatBytes: Int
    public var storedBytes: Int
    /// The stored form.
    public var quantized: QuantizedTensor
    /// The reals the codes stand for.
    public var dequantized: Tensor<Float>

    /// Quantizes `tensor` under `spec` and records every step.
    public init(name: String, tensor: Tensor<Float>, spec: QuantizationSpec,
                histogramBins: Int = 48) throws(QuantizationError) {
        let outcome = try QuantizedTensor.quantize(tensor, spec: spec, name: name)
        let dequantized = outcome.quantized.dequantized()
        let example = QuantizationWorkedExample.representative(of: tensor, quantized: outcome.quantized)
        let (lo, hi) = tensor.withUnsafeBufferPointer(minMax)
        let groupSize = outcome.quantized.elementsPerParameterSet
        let group = groupSize == 0 ? 0 : example.flatIndex / groupSize
        let distribution = tensor.withUnsafeBufferPointer { x in
            let scope = spec.granularity == .channel ? "\(name) channel \(group)" : name
            return GridOverlay(scope: scope,
                               values: UnsafeBufferPointer(rebasing: x[group * groupSize..<(group + 1) * groupSize]),
                               parameters: outcome.quantized.parameters[group], binCount: histogramBins)
        }
        self.name = name
        self.shape = tensor.shape
        self.spec = spec
        self.observedMin = lo
        self.observedMax = hi
        self.derivations = outcome.derivations
        self.workedExample = example
        self.distribution = distribution
        self.metrics = QuantizationErrorMetrics(original: tensor, reconstructed: dequantized,
                                                clippedCount: outcome.clippedCount)
        self.floatBytes = tensor.count * MemoryLayout<Float>.size
        self.storedBytes = outcome.quantized.storedBytes
        self.quantized = outcome.quantized
        self.dequantized = dequantized
    }

    /// The row of the per-layer error table.
    public var errorRow: LayerQuantizationError {
        LayerQuantizationError(name: name, format: spec.description, metrics: metrics, floatBytes: floatBytes, storedBytes: storedBytes)
    }

    /// The per-channel scales (one entry for per-tensor).
    public var scales: [Float] { quantized.parameters.map(\.scale) }
}
