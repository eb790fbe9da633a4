import SlimKernels

/// A Dense layer whose weights are integer codes (symmetric, per channel) stored either densely
/// (packed codes) or, when it is smaller, as CSR of the non-zero codes: the packed codes of the
/// kept weights, UInt16 column indices (layers up to 65,536 inputs; Int32 beyond) and Int32 row
/// pointers — Deep Compression's pruned and quantized storage, without its relative indexing
/// and Huffman stage. Products run on the dequantized weights.
public struct SparseCodesDenseKernel: DenseInferenceKernel {
    public let layerName: String
    public let quantized: QuantizedTensor
    /// ŵ = s·q, with pruned weights exactly 0.
    public let weight: Tensor<Float>
    /// Non-zero codes.
    public let nonZeroCount: Int

    public init(layerName: String, quantized: QuantizedTensor) {
        precondition(quantized.spec.scheme == .symmetric, "SparseCodesDenseKernel: zero must be a code")
        self.layerName = layerName
        self.quantized = quantized
        self.weight = quantized.dequantized()
        self.nonZeroCount = quantized.codes.scalars.reduce(0) { $1 == 0 ? $0 : $0 + 1 }
    }

    /// Dense codes plus one 4-byte scale per channel.
    public var denseBytes: Int { quantized.storedBytes }

    /// ⌈nnz·field/8⌉ code bytes (codes packed in 2-, 4- or 8-bit fields, as dense codes are),
    /// 2·nnz column indices (4·nnz past 65,536 columns),
    /// 4·(rows + 1) row pointers, the scales.
    public var sparseBytes: Int {
        let rows = quantized.shape[0], columns = quantized.count / max(1, rows)
        let indexBytes = columns <= 65_536 ? 2 : 4
        let field = PackedCodes.fieldWidth(forBits: quantized.spec.bits)
        return (nonZeroCount * field + 7) / 8 + indexBytes * nonZeroCount + 4 * (rows + 1)
            + 4 * quantized.parameters.count
    }

    public var storedAsCSR: Bool { sparseBytes < denseBytes }

    /// The CSR arrays a file keeps (`VariantCodec`): the non-zero codes row by row, their
    /// columns (UInt16 up to 65,536 columns, `wideColumns` beyond) and the row pointers.
    var csrLayout: (codes: [Int8], columns: [Int32], rowPointers: [Int32], wideColumns: Bool) {
        let rows = quantized.shape[0], columns = quantized.count / max(1, rows)
        let all = quantized.codes.scalars
        var codes: [Int8] = [], indices: [Int32] = [], pointers: [Int32] = [0]
        codes.reserveCapacity(nonZeroCount)
        indices.reserveCapacity(nonZeroCount)
        for row in 0..<rows {
            for column in 0..<columns where all[row * columns + column] != 0 {
                codes.append(all[row * columns + column])
                indices.append(Int32(column))
            }
            pointers.append(Int32(codes.count))
        }
        return (codes, indices, pointers, columns > 65_536)
    }

    public var label: String {
        "int\(quantized.spec.bits) per-channel weights" + (storedAsCSR ? " (csr)" : "")
    }

    public var storedWeight: StoredTensor {
        let bits = quantized.spec.bits
        return StoredTensor(name: "\(layerName).weight", shape: quantized.shape,
                            dtype: TensorDType(rawValue: storedAsCSR ? "csr-int\(bits)" : "int\(bits)"),
                            byteCount: min(denseBytes, sparseBytes))
    }

    public var storedWeightValue: Tensor<Float>? { weight }

    public func forward(_ input: Tensor<Float>, bias: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        denseForward(input, weight: weight, bias: bias, pool: pool)
    }

    /// The same code width from other weights, scales again of the least squared error (pruned
    /// entries, already zero, stay zero codes).
    public func derived(weight: Tensor<Float>, mask: Tensor<Float>?, bias: Tensor<Float>) -> (any DenseInferenceKernel)? {
        let masked = mask.map { MagnitudePruning.apply($0, to: weight) } ?? weight
        guard let codes = try? LeastSquaresScales.quantize(masked, bits: quantized.spec.bits, name: "\(layerName).weight")
        else { return nil }
        return SparseCodesDenseKernel(layerName: layerName, quantized: codes)
    }
}
