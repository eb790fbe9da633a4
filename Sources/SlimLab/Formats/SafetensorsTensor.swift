import SlimKernels

/// A Swift type stored as one of the safetensors dtypes, bit for bit.
public protocol SafetensorsScalar: BitwiseCopyable, Sendable {
    /// The dtype the type is stored as.
    static var safetensorsDType: SafetensorsDType { get }
}

extension Bool: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .bool } }
extension UInt8: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .uint8 } }
extension Int8: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .int8 } }
extension Int16: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .int16 } }
extension UInt16: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .uint16 } }
extension Int32: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .int32 } }
extension UInt32: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .uint32 } }
extension Float: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .float32 } }
extension Double: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .float64 } }
extension Int64: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .int64 } }
extension UInt64: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .uint64 } }
#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: SafetensorsScalar { public static var safetensorsDType: SafetensorsDType { .float16 } }
#endif

/// One tensor of a safetensors file: its dtype, its shape, and its elements as the file stores
/// them (little-endian bytes, row-major).
///
/// Keeping raw bytes means any dtype passes through unchanged — a BF16 or F8 tensor written by
/// PyTorch is kept as it was even though SlimLab computes in Float — and converting to a typed
/// ``Tensor`` is explicit and checked.
public struct SafetensorsTensor: Sendable, Equatable {
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// The elements, little-endian, `elementCount × dtype.byteSize` of them.
    public let bytes: [UInt8]

    /// A tensor from raw little-endian bytes.
    /// - Throws: ``SafetensorsError/shapeMismatch(name:shape:byteCount:dtype:)`` unless the byte
    ///   count is exactly the shape's element count times the dtype's size.
    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), let count = Self.elementCount(shape),
              count.multipliedReportingOverflow(by: dtype.byteSize) == (bytes.count, false) else {
            throw SafetensorsError.shapeMismatch(name: "", shape: shape, byteCount: bytes.count, dtype: dtype)
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// A tensor holding `tensor`'s elements, with its shape.
    public init<T: SafetensorsScalar>(_ tensor: Tensor<T>) {
        dtype = T.safetensorsDType
        shape = tensor.shape
        bytes = tensor.withUnsafeBufferPointer { Self.littleEndianBytes(of: $0) }
    }

    /// A tensor of the given shape holding `scalars` in row-major order.
    public init<T: SafetensorsScalar>(shape: [Int], scalars: [T]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), Self.elementCount(shape) == scalars.count else {
            throw SafetensorsError.shapeMismatch(name: "", shape: shape, byteCount: scalars.count * MemoryLayout<T>.stride,
                                                 dtype: T.safetensorsDType)
        }
        dtype = T.safetensorsDType
        self.shape = shape
        bytes = scalars.withUnsafeBufferPointer { Self.littleEndianBytes(of: $0) }
    }

    /// The number of elements (1 for a scalar of shape `[]`).
    public var elementCount: Int { shape.reduce(1, *) }

    /// The elements as a typed tensor; `T` must be the type of the stored dtype.
    /// - Throws: ``SafetensorsError/dtypeMismatch(name:stored:requested:)``, or for `Bool`
    ///   ``SafetensorsError/invalidBool(name:index:byte:)`` on a byte other than 0 or 1.
    public func tensor<T: SafetensorsScalar>(as type: T.Type) throws -> Tensor<T> {
        try checkReadable(as: type)
        return Tensor(shape: shape) { output in copyElements(into: UnsafeMutableRawBufferPointer(output), size: MemoryLayout<T>.size) }
    }

    /// The elements as an array; `T` must be the type of the stored dtype.
    public func scalars<T: SafetensorsScalar>(as type: T.Type) throws -> [T] {
        try checkReadable(as: type)
        return [T](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            copyElements(into: UnsafeMutableRawBufferPointer(buffer), size: MemoryLayout<T>.size)
            initialized = elementCount
        }
    }

    /// The elements converted to Float, from any numeric dtype except the 8-bit floats (F16 and
    /// BF16 widen exactly; F64, I32, I64 and U32/U64 round to the nearest Float).
    public func floats() throws -> [Float] {
        func read<T: SafetensorsScalar>(_ type: T.Type, _ convert: (T) -> Float) throws -> [Float] {
            try scalars(as: type).map(convert)
        }
        switch dtype {
        case .float32: return try scalars(as: Float.self)
        case .float64: return try read(Double.self) { Float($0) }
        case .bfloat16: return try read(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
        case .float16: return try read(UInt16.self) { Self.floatFromHalf(bits: $0) }
        case .int8: return try read(Int8.self) { Float($0) }
        case .uint8: return try read(UInt8.self) { Float($0) }
        case .int16: return try read(Int16.self) { Float($0) }
        case .uint16: return try read(UInt16.self) { Float($0) }
        case .int32: return try read(Int32.self) { Float($0) }
        case .uint32: return try read(UInt32.self) { Float($0) }
        case .int64: return try read(Int64.self) { Float($0) }
        case .uint64: return try read(UInt64.self) { Float($0) }
        case .bool: return try read(Bool.self) { $0 ? 1 : 0 }
        case .float8E4M3, .float8E5M2:
            throw SafetensorsError.dtypeMismatch(name: "", stored: dtype, requested: .float32)
        }
    }

    // MARK: - Bytes

    private func checkReadable<T: SafetensorsScalar>(as type: T.Type) throws {
        // F16 and BF16 may be read as their 16-bit patterns; everything else must match exactly.
        let compatible = dtype == T.safetensorsDType
            || (T.safetensorsDType == .uint16 && (dtype == .float16 || dtype == .bfloat16))
        guard compatible else {
            throw SafetensorsError.dtypeMismatch(name: "", stored: dtype, requested: T.safetensorsDType)
        }
        if T.self == Bool.self, let bad = bytes.firstIndex(where: { $0 > 1 }) {
            throw SafetensorsError.invalidBool(name: "", index: bad, byte: bytes[bad])
        }
    }

    private func copyElements(into output: UnsafeMutableRawBufferPointer, size: Int) {
        bytes.withUnsafeBytes { output.copyMemory(from: $0) }
        #if _endian(big)
        Self.swapEachElement(output, size: size)
        #endif
    }

    private static func littleEndianBytes<T>(of buffer: UnsafeBufferPointer<T>) -> [UInt8] {
        var bytes = Array(UnsafeRawBufferPointer(buffer))
        #if _endian(big)
        bytes.withUnsafeMutableBytes { swapEachElement($0, size: MemoryLayout<T>.size) }
        #endif
        return bytes
    }

    #if _endian(big)
    private static func swapEachElement(_ buffer: UnsafeMutableRawBufferPointer, size: Int) {
        guard size > 1 else { return }
        for start in stride(from: 0, to: buffer.count, by: size) {
            var (i, j) = (start, start + size - 1)
            while i < j { buffer.swapAt(i, j); i += 1; j -= 1 }
        }
    }
    #endif

    /// The element count of a shape, `nil` if it overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// IEEE 754 half precision to Float, exactly (works where Swift's Float16 is unavailable).
    static func floatFromHalf(bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(fraction) * 0x1p-24   // subnormal or zero: fraction · 2⁻²⁴, exact
            return Float(bitPattern: magnitude.bitPattern | sign)
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
        }
    }
}
