import SlimKernels

/// Quantizing one tensor to a ggml block format, step by step: the first block worked in full
/// (its extreme, d, d as fp16, the codes, the nibble packing), then the error and the size.
public struct BlockQuantizationReport: Sendable {
    public var name: String
    public var shape: [Int]
    public var format: BlockFormat
    public var blockCount: Int
    /// The first block's 32 weights, codes and reconstructions.
    public var firstBlockValues: [Float]
    public var firstBlockCodes: [Int]
    public var firstBlockReconstructed: [Float]
    /// The first block's stored bytes (2 bytes of fp16 d, then the codes) as ggml writes them.
    public var firstBlockBytes: [UInt8]
    /// d before and after rounding to fp16.
    public var firstBlockScale: Float
    public var firstBlockStoredScale: Float
    /// d = max|x|/127 (Q8_0) or d = m/−8 (Q4_0) with the block's numbers, then one weight
    /// through the code formula.
    public var formulas: [Formula]
    public var metrics: QuantizationErrorMetrics
    public var floatBytes: Int
    public var storedBytes: Int
    /// Storage bits per weight, scales included (8.5 or 4.5).
    public var bitsPerWeight: Double
    public var quantized: BlockQuantizedTensor
    public var dequantized: Tensor<Float>

    /// The row of the per-layer error table.
    public var errorRow: LayerQuantizationError {
        LayerQuantizationError(name: name, format: format.displayName, metrics: metrics, floatBytes: floatBytes,
                               storedBytes: storedBytes)
    }

    public init(name: String, tensor: Tensor<Float>, format: BlockFormat) throws(QuantizationError) {
        let quantized = try BlockQuantizedTensor(tensor, format: format, name: name)
        let dequantized = quantized.dequantized()
        let qk = BlockFormat.blockSize
        let values = Array(tensor.scalars[0..<qk])
        var extreme: Float = 0
        for v in values where abs(v) > abs(extreme) { extreme = v }
        let scale = format == .q8_0 ? abs(extreme) / 127 : extreme / -8
        let stored = quantized.scale(ofBlock: 0)
        let codes = quantized.codes(ofBlock: 0)
        // The worked weight: a typical one of the block (90th percentile of |x|).
        let j = values.withUnsafeBufferPointer(QuantizationWorkedExample.representativeIndex(in:))
        let inverse: Float = scale != 0 ? 1 / scale : 0
        var formulas: [Formula]
        switch format {
        case .q8_0:
            formulas = [
                Formula(symbol: "d", symbolic: "max|x| / 127", template: "{0} / 127",
                        values: [.real(Double(abs(extreme)))], result: .real(Double(scale))),
                Formula(symbol: "d (fp16)", symbolic: "fp16(d), round to nearest even", template: "fp16({0})",
                        values: [.real(Double(scale))], result: .real(Double(stored))),
                Formula(symbol: "q[\(j)]", symbolic: "round(x · (1/d)), half away from zero",
                        template: "round({0} · {1})", values: [.real(Double(values[j])), .real(Double(inverse))],
                        result: .integer(codes[j])),
                Formula(symbol: "x̂[\(j)]", symbolic: "d_fp16 · q", template: "{0} · {1}",
                        values: [.real(Double(stored)), .integer(codes[j])], result: .real(Double(dequantized[flat: j]))),
            ]
        case .q4_0:
            formulas = [
                Formula(symbol: "d", symbolic: "m / -8 (m: the value of largest magnitude)", template: "{0} / -8",
                        values: [.real(Double(extreme))], result: .real(Double(scale))),
                Formula(symbol: "d (fp16)", symbolic: "fp16(d), round to nearest even", template: "fp16({0})",
                        values: [.real(Double(scale))], result: .real(Double(stored))),
                Formula(symbol: "q[\(j)]", symbolic: "min(15, floor(x · (1/d) + 8.5))",
                        template: "min(15, floor({0} · {1} + 8.5))",
                        values: [.real(Double(values[j])), .real(Double(inverse))], result: .integer(codes[j])),
                Formula(symbol: "x̂[\(j)]", symbolic: "d_fp16 · (q - 8)", template: "{0} · ({1} - 8)",
                        values: [.real(Double(stored)), .integer(codes[j])], result: .real(Double(dequantized[flat: j]))),
            ]
        }
        self.name = name
        self.shape = tensor.shape
        self.format = format
        self.blockCount = quantized.blockCount
        self.firstBlockValues = values
        self.firstBlockCodes = codes
        self.firstBlockReconstructed = Array(dequantized.scalars[0..<qk])
        self.firstBlockBytes = Array(quantized.bytes[0..<format.bytesPerBlock])
        self.firstBlockScale = scale
        self.firstBlockStoredScale = stored
        self.formulas = formulas
        self.metrics = QuantizationErrorMetrics(original: tensor, reconstructed: dequantized)
        self.floatBytes = tensor.count * MemoryLayout<Float>.size
        self.storedBytes = quantized.storedBytes
        self.bitsPerWeight = format.bitsPerWeight
        self.quantized = quantized
        self.dequantized = dequantized
    }
}
