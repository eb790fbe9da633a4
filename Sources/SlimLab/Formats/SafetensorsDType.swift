/// The element types of the safetensors format, by the names its header uses.
///
/// The case order is the format's own (the Rust crate's `Dtype`): files are laid out with the
/// largest types first, which keeps every tensor aligned to its element size, and SlimLab lays
/// them out the same way so that it writes the very bytes Python's `safetensors` would.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// The position in the format's order; higher ones are stored first.
    var layoutRank: Int { Self.allCases.firstIndex(of: self)! }
}
