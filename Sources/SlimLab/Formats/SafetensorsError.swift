/// Why a safetensors file could not be read or written, or a tensor not converted.
///
/// Messages name the file and, where there is one, the tensor, and say what the format allows,
/// so that a damaged or foreign file is explained rather than half-loaded.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    // MARK: Files
    case fileNotFound(path: String)
    case notAFile(path: String)
    case unreadable(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    // MARK: Layout
    case tooShort(path: String, size: Int)
    case headerTooLarge(path: String, length: UInt64, limit: Int)
    case headerBeyondFile(path: String, length: UInt64, fileSize: Int)
    case badHeaderStart(path: String)
    case badJSON(path: String, offset: Int, reason: String)
    case badHeaderEntry(path: String, name: String, reason: String)
    case badMetadata(path: String, reason: String)
    case unknownDType(path: String, name: String, dtype: String)
    case absurdShape(path: String, name: String, shape: [Int])
    case sizeMismatch(path: String, name: String, dtype: SafetensorsDType, shape: [Int], expectedBytes: Int, actualBytes: Int)
    case offsetsReversed(path: String, name: String, begin: Int, end: Int)
    case truncated(path: String, name: String, end: Int, dataSize: Int)
    case overlapping(path: String, name: String, other: String)
    case notCovered(path: String, begin: Int, end: Int)

    // MARK: Values
    case reservedName(name: String)
    case shapeMismatch(name: String, shape: [Int], byteCount: Int, dtype: SafetensorsDType)
    case dtypeMismatch(name: String, stored: SafetensorsDType, requested: SafetensorsDType)
    case invalidBool(name: String, index: Int, byte: UInt8)
    case missingTensor(name: String, available: [String])

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "cannot open '\(path)': no such file"
        case let .notAFile(path):
            return "cannot open '\(path)': it is a folder, not a file"
        case let .unreadable(path, reason):
            return "cannot read '\(path)': \(reason)"
        case let .writeFailed(path, reason):
            return "cannot write '\(path)': \(reason); any earlier file there is unchanged"

        case let .tooShort(path, size):
            return "'\(path)' is not a safetensors file: \(size) bytes, fewer than the 8 of its header length"
        case let .headerTooLarge(path, length, limit):
            return "'\(path)' is not a safetensors file: its header length \(length) is beyond the format's limit of \(limit) bytes"
        case let .headerBeyondFile(path, length, fileSize):
            return "'\(path)' is truncated or not a safetensors file: the header length \(length) runs past the end of the file (\(fileSize) bytes)"
        case let .badHeaderStart(path):
            return "'\(path)' is not a safetensors file: its header does not start with '{'"
        case let .badJSON(path, offset, reason):
            return "'\(path)': the header is not valid JSON at byte \(offset) of the header: \(reason)"
        case let .badHeaderEntry(path, name, reason):
            return "'\(path)': the header entry for '\(name)' \(reason)"
        case let .badMetadata(path, reason):
            return "'\(path)': __metadata__ \(reason); it must map strings to strings"
        case let .unknownDType(path, name, dtype):
            return "'\(path)': tensor '\(name)' has the unknown dtype '\(dtype)'; known are \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .absurdShape(path, name, shape):
            return "'\(path)': tensor '\(name)' has the shape \(shape), too large to exist"
        case let .sizeMismatch(path, name, dtype, shape, expected, actual):
            return "'\(path)': tensor '\(name)' is \(dtype.rawValue) of shape \(shape), which needs \(expected) bytes, but its data_offsets span \(actual)"
        case let .offsetsReversed(path, name, begin, end):
            return "'\(path)': tensor '\(name)' has data_offsets [\(begin), \(end)]; the end must not come before the beginning"
        case let .truncated(path, name, end, dataSize):
            return "'\(path)' is truncated: tensor '\(name)' ends at data byte \(end), but the file holds \(dataSize) data bytes"
        case let .overlapping(path, name, other):
            return "'\(path)': the data of tensors '\(other)' and '\(name)' overlap"
        case let .notCovered(path, begin, end):
            return "'\(path)': data bytes \(begin)..<\(end) belong to no tensor; the data must be covered exactly, without gaps"

        case let .reservedName(name):
            return "'\(name)' cannot name a tensor: it is reserved for the file's metadata"
        case let .shapeMismatch(name, shape, byteCount, dtype):
            let needed = shape.allSatisfy { $0 >= 0 } ? "needs \(shape.reduce(1, *) * dtype.byteSize) bytes" : "has a negative dimension"
            return "\(Self.tensor(name)): shape \(shape) of \(dtype.rawValue) \(needed), got \(byteCount) bytes"
        case let .dtypeMismatch(name, stored, requested):
            return "\(Self.tensor(name)) is stored as \(stored.rawValue), not \(requested.rawValue)"
        case let .invalidBool(name, index, byte):
            return "\(Self.tensor(name)): element \(index) is the byte \(byte), but BOOL elements must be 0 or 1"
        case let .missingTensor(name, available):
            return "no tensor named '\(name)'; the file holds \(available.isEmpty ? "no tensors" : available.joined(separator: ", "))"
        }
    }

    private static func tensor(_ name: String) -> String {
        name.isEmpty ? "a tensor" : "tensor '\(name)'"
    }
}
