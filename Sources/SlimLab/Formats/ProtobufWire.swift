/// The protocol buffers wire format, as much of it as ONNX files need, written and read by
/// hand so that SlimLab needs no protobuf library.
///
/// A message is a sequence of fields; each starts with a key, the varint
/// `(field number << 3) | wire type`. Wire type 0 is a varint (base-128, low group first, the
/// high bit of each byte saying "more follows"; negative int64 values take ten bytes, as
/// two's complement), 2 is length-delimited (a varint byte count, then the bytes: strings,
/// bytes, nested messages, packed repeated numbers), 5 is a little-endian 32-bit value
/// (`float`), 1 a little-endian 64-bit value. Fields may come in any order and repeat.
public struct ProtobufWriter: Sendable {
    /// The message's bytes so far.
    public private(set) var encoded: [UInt8] = []

    public init() {}

    public enum WireType: UInt8, Sendable {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// Appends `value` as a base-128 varint.
    public mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            encoded.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        encoded.append(UInt8(rest))
    }

    private mutating func appendKey(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// An `int64`/`int32`/enum field (negative values as ten-byte two's complement).
    public mutating func integer(_ field: Int, _ value: Int) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: Int64(value)))
    }

    /// A `float` field.
    public mutating func float(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { encoded.append(contentsOf: $0) }
    }

    /// A `bytes` field.
    public mutating func data(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        encoded.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    public mutating func string(_ field: Int, _ value: String) {
        data(field, Array(value.utf8))
    }

    /// A nested message field, built by `body` on a fresh writer.
    public mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        data(field, nested.encoded)
    }

    /// A packed `repeated int64` field (one length-delimited run of varints).
    public mutating func packedIntegers(_ field: Int, _ values: [Int]) {
        var run = ProtobufWriter()
        for value in values { run.appendVarint(UInt64(bitPattern: Int64(value))) }
        data(field, run.encoded)
    }
}

/// One field read back from a message.
public struct ProtobufField: Sendable {
    public enum Value: Sendable {
        case varint(UInt64)
        case fixed32(UInt32)
        case fixed64(UInt64)
        case bytes(ArraySlice<UInt8>)
    }

    public var number: Int
    public var value: Value

    /// The field as a signed integer (a varint), or an error naming the field.
    public func integer(in message: String) throws(ProtobufError) -> Int {
        guard case let .varint(raw) = value else { throw .wrongWireType(message: message, field: number) }
        return Int(Int64(bitPattern: raw))
    }

    /// The field as a float (fixed32).
    public func float(in message: String) throws(ProtobufError) -> Float {
        guard case let .fixed32(raw) = value else { throw .wrongWireType(message: message, field: number) }
        return Float(bitPattern: raw)
    }

    /// The field's bytes (length-delimited).
    public func bytes(in message: String) throws(ProtobufError) -> ArraySlice<UInt8> {
        guard case let .bytes(raw) = value else { throw .wrongWireType(message: message, field: number) }
        return raw
    }

    /// The field as UTF-8 text.
    public func string(in message: String) throws(ProtobufError) -> String {
        let raw = try bytes(in: message)
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidText(message: message, field: number) }
        return text
    }

    /// A repeated int64 field, packed or not (a reader must accept both).
    public func integers(in message: String) throws(ProtobufError) -> [Int] {
        switch value {
        case .varint: return [try integer(in: message)]
        case let .bytes(run):
            var reader = ProtobufReader(run, message: message)
            var values: [Int] = []
            while !reader.isAtEnd { values.append(Int(Int64(bitPattern: try reader.readVarint()))) }
            return values
        default: throw .wrongWireType(message: message, field: number)
        }
    }
}

/// Reads the fields of one message in order.
public struct ProtobufReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var position: Int
    private let message: String

    /// A reader of `bytes`; `message` names the message in errors (`NodeProto`).
    public init(_ bytes: ArraySlice<UInt8>, message: String) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.message = message
    }

    public var isAtEnd: Bool { position >= bytes.endIndex }

    public mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.endIndex else { throw .truncated(message: message) }
            guard shift < 64 else { throw .varintTooLong(message: message) }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    private mutating func take(_ count: Int) throws(ProtobufError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.endIndex - position else { throw .truncated(message: message) }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// The next field, or nil at the end of the message.
    public mutating func next() throws(ProtobufError) -> ProtobufField? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let number = Int(key >> 3)
        guard number > 0 else { throw .invalidFieldNumber(message: message) }
        switch key & 7 {
        case 0: return ProtobufField(number: number, value: .varint(try readVarint()))
        case 1:
            let raw = try take(8)
            return ProtobufField(number: number, value: .fixed64(raw.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(Int.max) else { throw .truncated(message: message) }
            return ProtobufField(number: number, value: .bytes(try take(Int(length))))
        case 5:
            let raw = try take(4)
            return ProtobufField(number: number, value: .fixed32(raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
        default:
            throw .unsupportedWireType(message: message, type: Int(key & 7))
        }
    }
}

/// Why bytes are not a well-formed protobuf message.
public enum ProtobufError: Error, CustomStringConvertible, Equatable {
    case truncated(message: String)
    case varintTooLong(message: String)
    case invalidFieldNumber(message: String)
    case unsupportedWireType(message: String, type: Int)
    case wrongWireType(message: String, field: Int)
    case invalidText(message: String, field: Int)

    public var description: String {
        switch self {
        case let .truncated(message): return "\(message) ends in the middle of a field (the file is truncated or not protobuf)"
        case let .varintTooLong(message): return "\(message) holds a varint longer than 10 bytes"
        case let .invalidFieldNumber(message): return "\(message) holds a field numbered 0"
        case let .unsupportedWireType(message, type): return "\(message) uses wire type \(type) (groups are not supported)"
        case let .wrongWireType(message, field): return "\(message) field \(field) has an unexpected wire type"
        case let .invalidText(message, field): return "\(message) field \(field) is not valid UTF-8 text"
        }
    }
}
