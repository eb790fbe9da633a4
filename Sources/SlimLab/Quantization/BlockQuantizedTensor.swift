import SlimKernels

/// A tensor in a ggml block format, stored exactly as llama.cpp lays out its blocks: per
/// block a little-endian fp16 scale, then the codes (see `BlockFormat`).
public struct BlockQuantizedTensor: Sendable, Equatable {
    public let shape: [Int]
    public let format: BlockFormat
    /// The blocks back to back, `format.bytesPerBlock` bytes each.
    public let bytes: [UInt8]

    /// Quantizes `tensor` with ggml's reference quantizer for `format`. Blocks run along rows
    /// (the last dimensions, `count / shape[0]` elements), whose length must be a multiple of 32.
    public init(_ tensor: Tensor<Float>, format: BlockFormat, name: String = "tensor") throws(QuantizationError) {
        guard tensor.count > 0 else { throw .emptyTensor(name) }
        let rowLength = tensor.rank >= 2 ? tensor.count / tensor.shape[0] : tensor.count
        guard rowLength % BlockFormat.blockSize == 0 else {
            throw .blockSizeMismatch(count: rowLength, blockSize: BlockFormat.blockSize)
        }
        var bytes = [UInt8](repeating: 0, count: tensor.count / BlockFormat.blockSize * format.bytesPerBlock)
        tensor.withUnsafeBufferPointer { x in
            bytes.withUnsafeMutableBufferPointer { out in
                switch format {
                case .q8_0: quantizeRowQ8_0Reference(x, into: out)
                case .q4_0: quantizeRowQ4_0Reference(x, into: out)
                }
            }
        }
        self.shape = tensor.shape
        self.format = format
        self.bytes = bytes
    }

    public var count: Int { shape.reduce(1, *) }
    public var blockCount: Int { count / BlockFormat.blockSize }
    /// Bytes as stored.
    public var storedBytes: Int { bytes.count }

    /// Block `i`'s scale d, as stored (fp16) and widened back to Float.
    public func scale(ofBlock i: Int) -> Float {
        let offset = i * format.bytesPerBlock
        return Float(Float16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8))
    }

    /// Block `i`'s 32 codes in weight order: int8 values for Q8_0, 0…15 for Q4_0.
    public func codes(ofBlock i: Int) -> [Int] {
        let qs = i * format.bytesPerBlock + 2
        let half = BlockFormat.blockSize / 2
        switch format {
        case .q8_0:
            return (0..<BlockFormat.blockSize).map { Int(Int8(bitPattern: bytes[qs + $0])) }
        case .q4_0:
            return (0..<BlockFormat.blockSize).map { j in
                j < half ? Int(bytes[qs + j] & 0x0F) : Int(bytes[qs + j - half] >> 4)
            }
        }
    }

    /// The reals the blocks stand for: d·q (Q8_0) or d·(q − 8) (Q4_0), with d the stored fp16.
    public func dequantized() -> Tensor<Float> {
        Tensor(shape: shape) { out in
            for block in 0..<blockCount {
                let d = scale(ofBlock: block)
                let offset = format == .q4_0 ? 8 : 0
                for (j, q) in codes(ofBlock: block).enumerated() {
                    out[block * BlockFormat.blockSize + j] = Float(q - offset) * d
                }
            }
        }
    }
}

/// ggml's `quantize_row_q8_0_ref`: per block of 32, d = max|x|/127, q = round(x · (1/d))
/// rounding half away from zero (C's `roundf`); d is stored as fp16 (round to nearest even),
/// but the codes are computed with the fp32 d, as ggml does.
public func quantizeRowQ8_0Reference(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<UInt8>) {
    let qk = BlockFormat.blockSize
    precondition(x.count % qk == 0 && out.count == x.count / qk * BlockFormat.q8_0.bytesPerBlock,
                 "quantizeRowQ8_0Reference: \(x.count) values into \(out.count) bytes")
    for block in 0..<x.count / qk {
        var amax: Float = 0
        for j in 0..<qk { amax = max(amax, abs(x[block * qk + j])) }
        let d = amax / 127
        let inverse: Float = d != 0 ? 1 / d : 0
        let base = block * BlockFormat.q8_0.bytesPerBlock
        storeHalf(d, at: base, in: out)
        for j in 0..<qk {
            let q = (x[block * qk + j] * inverse).rounded(.toNearestOrAwayFromZero)
            out[base + 2 + j] = UInt8(bitPattern: Int8(min(127, max(-127, q))))
        }
    }
}

/// ggml's `quantize_row_q4_0_ref`: per block of 32, m = the value of largest magnitude (the
/// first one on ties), d = m/−8, q = min(15, ⌊x · (1/d) + 8.5⌋) (C's truncating conversion of
/// a non-negative number), weight j in the low nibble of byte j, weight j + 16 in its high nibble.
public func quantizeRowQ4_0Reference(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<UInt8>) {
    let qk = BlockFormat.blockSize
    precondition(x.count % qk == 0 && out.count == x.count / qk * BlockFormat.q4_0.bytesPerBlock,
                 "quantizeRowQ4_0Reference: \(x.count) values into \(out.count) bytes")
    for block in 0..<x.count / qk {
        var amax: Float = 0, extreme: Float = 0
        for j in 0..<qk {
            let v = x[block * qk + j]
            if amax < abs(v) {
                amax = abs(v)
                extreme = v
            }
        }
        let d = extreme / -8
        let inverse: Float = d != 0 ? 1 / d : 0
        let base = block * BlockFormat.q4_0.bytesPerBlock
        storeHalf(d, at: base, in: out)
        func code(_ v: Float) -> UInt8 {
            let shifted = v * inverse + 8.5
            return UInt8(min(15, max(0, shifted.rounded(.towardZero))))
        }
        for j in 0..<qk / 2 {
            let low = code(x[block * qk + j])
            let high = code(x[block * qk + qk / 2 + j])
            out[base + 2 + j] = low | high << 4
        }
    }
}

/// Stores `value` as a little-endian IEEE half (round to nearest even, like ggml's
/// `GGML_FP32_TO_FP16`).
private func storeHalf(_ value: Float, at offset: Int, in out: UnsafeMutableBufferPointer<UInt8>) {
    let bits = Float16(value).bitPattern
    out[offset] = UInt8(truncatingIfNeeded: bits)
    out[offset + 1] = UInt8(truncatingIfNeeded: bits >> 8)
}
