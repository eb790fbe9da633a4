/// Bits packed into bytes, first bit in the highest place of the first byte.
public struct BitWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Bits written so far.
    public private(set) var bitCount = 0

    public init() {}

    /// Appends the low `bits` bits of `value`, highest first.
    public mutating func write(_ value: UInt32, bits: Int) {
        precondition(bits >= 0 && bits <= 32, "BitWriter: \(bits) bits")
        var remaining = bits
        while remaining > 0 {
            if bitCount % 8 == 0 { bytes.append(0) }
            let free = 8 - bitCount % 8
            let take = min(free, remaining)
            let chunk = UInt8(truncatingIfNeeded: (value >> UInt32(remaining - take)) & ((1 << UInt32(take)) - 1))
            bytes[bytes.count - 1] |= chunk << UInt8(free - take)
            remaining -= take
            bitCount += take
        }
    }
}

/// Reads the bits a ``BitWriter`` wrote.
public struct BitReader: Sendable {
    private let bytes: [UInt8]
    /// The next bit's position.
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bits not read yet.
    public var remainingBits: Int { bytes.count * 8 - position }

    public mutating func readBit() throws -> Int {
        guard position < bytes.count * 8 else { throw HuffmanError.endOfData }
        let bit = Int(bytes[position >> 3] >> UInt8(7 - position & 7)) & 1
        position += 1
        return bit
    }

    /// The next `bits` bits as an unsigned integer, highest first.
    public mutating func read(bits: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<bits { value = value << 1 | UInt32(try readBit()) }
        return value
    }
}
