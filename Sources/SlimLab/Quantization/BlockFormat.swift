/// The block quantization formats of llama.cpp (ggml) that SlimLab reproduces bit for bit.
///
/// Both cut a row into blocks of 32 weights, each with its own fp16 scale `d`:
///
/// | format | per block | layout | bits per weight |
/// | --- | --- | --- | --- |
/// | Q8_0 | d = max\|x\|/127, q = round(x/d) ∈ [−127, 127] | fp16 d, 32 × int8 | (2 + 32)·8/32 = 8.5 |
/// | Q4_0 | d = m/−8 (m: the signed value of largest magnitude), q = min(15, ⌊x/d + 8.5⌋) ∈ [0, 15], x̂ = (q − 8)·d | fp16 d, 16 bytes of nibbles | (2 + 16)·8/32 = 4.5 |
///
/// In Q4_0, weight j of a block goes to the low nibble of byte j and weight j + 16 to its high
/// nibble. The divisor −8 (not 7) makes the extreme weight land on code 0 exactly, using all
/// 16 codes; its sign follows the extreme so the extreme is always represented without error.
public enum BlockFormat: String, CaseIterable, Sendable {
    case q8_0
    case q4_0

    /// Weights per block (ggml's QK8_0 and QK4_0).
    public static let blockSize = 32

    /// Bytes per block as stored: a 2-byte fp16 scale plus the codes.
    public var bytesPerBlock: Int {
        switch self {
        case .q8_0: return 2 + Self.blockSize
        case .q4_0: return 2 + Self.blockSize / 2
        }
    }

    /// Storage bits per weight, scale included: 8.5 for Q8_0, 4.5 for Q4_0.
    public var bitsPerWeight: Double {
        Double(bytesPerBlock * 8) / Double(Self.blockSize)
    }

    /// The name llama.cpp uses ("Q8_0").
    public var displayName: String { rawValue.uppercased() }
}
