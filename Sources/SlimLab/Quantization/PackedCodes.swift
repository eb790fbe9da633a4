import SlimKernels

/// Integer codes as stored: several narrow two's-complement codes per byte.
///
/// Codes of up to 2 bits take a 2-bit field (four per byte), up to 4 bits a 4-bit field (two
/// per byte, like ggml's Q4_0 nibbles), wider codes a whole byte. Code `i` sits in byte
/// `i / perByte` at bit offset `(i % perByte) · fieldWidth`, low bits first.
public struct PackedCodes: Sendable, Equatable {
    /// The bits each code occupies in storage: 2, 4 or 8.
    public let fieldWidth: Int
    /// How many codes are stored.
    public let count: Int
    /// The stored bytes, `ceil(count / perByte)` of them.
    public let bytes: [UInt8]

    /// The storage field width for `bits`-bit codes.
    public static func fieldWidth(forBits bits: Int) -> Int {
        bits <= 2 ? 2 : bits <= 4 ? 4 : 8
    }

    /// Packs `codes`, each of which must fit in `bits` bits as a signed number.
    public init(codes: UnsafeBufferPointer<Int8>, bits: Int) {
        let width = Self.fieldWidth(forBits: bits)
        let perByte = 8 / width
        let mask = UInt8(truncatingIfNeeded: (1 << width) - 1)
        var bytes = [UInt8](repeating: 0, count: (codes.count + perByte - 1) / perByte)
        for (i, code) in codes.enumerated() {
            let field = UInt8(bitPattern: code) & mask
            bytes[i / perByte] |= field << UInt8((i % perByte) * width)
        }
        self.fieldWidth = width
        self.count = codes.count
        self.bytes = bytes
    }

    /// Codes as stored (read from a file): `bytes` must hold `count` fields of `bits`' width.
    public init(storedBytes bytes: [UInt8], count: Int, bits: Int) {
        let width = Self.fieldWidth(forBits: bits)
        precondition(bytes.count == (count + 8 / width - 1) / (8 / width), "PackedCodes: \(bytes.count) bytes for \(count) codes")
        self.fieldWidth = width
        self.count = count
        self.bytes = bytes
    }

    /// The codes again, sign-extended, as a tensor of `shape`.
    public func unpacked(shape: [Int]) -> Tensor<Int8> {
        precondition(shape.reduce(1, *) == count, "PackedCodes: shape \(shape) does not hold \(count) codes")
        let perByte = 8 / fieldWidth
        let signShift = UInt8(8 - fieldWidth)
        return Tensor(shape: shape) { out in
            for i in 0..<count {
                let byte = bytes[i / perByte] >> UInt8((i % perByte) * fieldWidth)
                // Move the field to the top of the byte, then shift back arithmetically.
                out[i] = Int8(bitPattern: byte << signShift) >> Int8(signShift)
            }
        }
    }
}
