import Foundation
import SlimKernels

/// A safetensors file in memory: named tensors and a string-to-string metadata map.
///
/// The format (huggingface/safetensors) is 8 bytes of little-endian header length N, then N
/// bytes of JSON — `{"__metadata__": {…}, "fc1.weight": {"dtype": "F32", "shape": [64, 64],
/// "data_offsets": [0, 16384]}, …}` — then the tensors' bytes, each tensor's offsets counting
/// from the end of the header. PyTorch (`safetensors.torch.load_file`) and NumPy open such files,
/// and SlimLab opens theirs.
///
/// ```swift
/// var file = SafetensorsFile(metadata: ["architecture": "mlp 64-64-10"])
/// file["fc1.weight"] = SafetensorsTensor(weights)         // a Tensor<Float>
/// try file.write(to: "baseline.safetensors")              // atomic
/// let back = try SafetensorsFile.read(from: "baseline.safetensors")
/// let w = try back.tensor("fc1.weight", as: Float.self)   // Tensor<Float>, same shape and bits
/// ```
///
/// Reading validates everything before trusting anything: the header length against the file
/// size, the JSON, each entry's dtype, shape and offsets, and that the tensors tile the data
/// exactly (no overlap, no gap, nothing missing).
public struct SafetensorsFile: Sendable, Equatable {
    /// The largest header accepted, as in the reference implementation (100 MB).
    public static let headerLimit = 100_000_000

    /// Free-form string pairs stored under `__metadata__` (SlimLab keeps the architecture,
    /// masks and quantization parameters' descriptions there).
    public var metadata: [String: String]
    /// The tensor names, in the order they were added (or, for a file read, in header order).
    public private(set) var names: [String] = []
    private var entries: [String: SafetensorsTensor] = [:]

    /// An empty file with the given metadata.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// The tensor called `name`; assigning `nil` removes it. A new name goes last in ``names``.
    public subscript(name: String) -> SafetensorsTensor? {
        get { entries[name] }
        set {
            if let newValue {
                if entries.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if entries.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The tensors in ``names`` order.
    public var tensors: [(name: String, tensor: SafetensorsTensor)] {
        names.map { ($0, entries[$0]!) }
    }

    /// The tensor called `name` as a typed tensor.
    /// - Throws: ``SafetensorsError/missingTensor(name:available:)`` or a conversion error
    ///   naming the tensor.
    public func tensor<T: SafetensorsScalar>(_ name: String, as type: T.Type) throws -> Tensor<T> {
        guard let entry = entries[name] else {
            throw SafetensorsError.missingTensor(name: name, available: names)
        }
        do {
            return try entry.tensor(as: type)
        } catch let error as SafetensorsError {
            throw error.naming(name)
        }
    }

    /// Two files are equal when they hold the same metadata and the same named tensors, in any
    /// order.
    public static func == (lhs: SafetensorsFile, rhs: SafetensorsFile) -> Bool {
        lhs.metadata == rhs.metadata && lhs.entries == rhs.entries
    }

    // MARK: - Reading

    /// Reads and validates the file at `path`.
    /// - Throws: ``SafetensorsError`` naming the file and the first problem found.
    /// Only a regular file of at most `limit` bytes is read (see `readFileBytes`).
    public static func read(from path: String, limit: Int = ResourceBudget.defaultMaxFileBytes) throws -> SafetensorsFile {
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(atPath: path, limit: limit)
        } catch {
            switch error {
            case .notFound: throw SafetensorsError.fileNotFound(path: path)
            case .isDirectory: throw SafetensorsError.notAFile(path: path)
            case let .unreadable(reason): throw SafetensorsError.unreadable(path: path, reason: reason)
            }
        }
        return try SafetensorsFile(decoding: bytes, path: path)
    }

    /// Decodes the bytes of a safetensors file; `path` is only used in messages.
    public init(decoding bytes: [UInt8], path: String = "(memory)") throws {
        guard bytes.count >= 8 else { throw SafetensorsError.tooShort(path: path, size: bytes.count) }
        var length: UInt64 = 0
        for i in (0..<8).reversed() { length = length << 8 | UInt64(bytes[i]) }
        guard length <= UInt64(Self.headerLimit) else {
            throw SafetensorsError.headerTooLarge(path: path, length: length, limit: Self.headerLimit)
        }
        guard 8 + Int(length) <= bytes.count else {
            throw SafetensorsError.headerBeyondFile(path: path, length: length, fileSize: bytes.count)
        }
        let headerEnd = 8 + Int(length)
        guard length > 0, bytes[8] == UInt8(ascii: "{") else { throw SafetensorsError.badHeaderStart(path: path) }
        let header: JSONValue
        do {
            header = try JSONParser.parse(Array(bytes[8..<headerEnd]))
        } catch {
            throw SafetensorsError.badJSON(path: path, offset: error.offset, reason: error.reason)
        }
        guard case let .object(members) = header else { throw SafetensorsError.badHeaderStart(path: path) }

        struct Entry { var name: String; var dtype: SafetensorsDType; var shape: [Int]; var begin: Int; var end: Int }
        var parsed: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else {
                    throw SafetensorsError.badMetadata(path: path, reason: "is \(value.kind)")
                }
                for (key, item) in pairs {
                    guard case let .string(text) = item else {
                        throw SafetensorsError.badMetadata(path: path, reason: "maps '\(key)' to \(item.kind)")
                    }
                    metadata[key] = text
                }
                continue
            }
            let entry = try Self.entry(name, value, path: path)
            parsed.append(Entry(name: name, dtype: entry.dtype, shape: entry.shape, begin: entry.begin, end: entry.end))
        }

        // The tensors must tile the data exactly: check the end first (a cut-off file), then
        // walk them in offset order looking for overlaps and gaps.
        let dataSize = bytes.count - headerEnd
        if let last = parsed.max(by: { $0.end < $1.end }), last.end > dataSize {
            throw SafetensorsError.truncated(path: path, name: last.name, end: last.end, dataSize: dataSize)
        }
        var covered = 0
        var previous = ""
        for entry in parsed.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if entry.begin < covered { throw SafetensorsError.overlapping(path: path, name: entry.name, other: previous) }
            if entry.begin > covered { throw SafetensorsError.notCovered(path: path, begin: covered, end: entry.begin) }
            covered = entry.end
            if entry.end > entry.begin { previous = entry.name }
        }
        if covered < dataSize { throw SafetensorsError.notCovered(path: path, begin: covered, end: dataSize) }

        self.metadata = metadata
        for entry in parsed {
            self[entry.name] = try SafetensorsTensor(
                dtype: entry.dtype, shape: entry.shape,
                bytes: Array(bytes[(headerEnd + entry.begin)..<(headerEnd + entry.end)]))
        }
    }

    /// Validates one header entry: `{"dtype": …, "shape": […], "data_offsets": [begin, end]}`.
    private static func entry(_ name: String, _ value: JSONValue, path: String) throws
        -> (dtype: SafetensorsDType, shape: [Int], begin: Int, end: Int) {
        func bad(_ reason: String) -> SafetensorsError { .badHeaderEntry(path: path, name: name, reason: reason) }
        guard case let .object(fields) = value else { throw bad("is \(value.kind), not an object with dtype, shape and data_offsets") }
        let known = ["dtype", "shape", "data_offsets"]
        if let unknown = fields.first(where: { !known.contains($0.key) }) {
            throw bad("has the unknown field '\(unknown.key)'; entries hold only dtype, shape and data_offsets")
        }
        func field(_ key: String) throws -> JSONValue {
            guard let found = fields.first(where: { $0.key == key }) else { throw bad("has no \(key)") }
            return found.value
        }
        guard case let .string(dtypeName) = try field("dtype") else { throw bad("has a dtype that is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(path: path, name: name, dtype: dtypeName)
        }
        guard case let .array(shapeValues) = try field("shape") else { throw bad("has a shape that is not an array") }
        let shape = shapeValues.compactMap(\.nonNegativeInteger)
        guard shape.count == shapeValues.count else { throw bad("has a shape that is not a list of non-negative integers") }
        guard case let .array(offsetValues) = try field("data_offsets") else { throw bad("has data_offsets that are not an array") }
        let offsets = offsetValues.compactMap(\.nonNegativeInteger)
        guard offsets.count == 2, offsetValues.count == 2 else {
            throw bad("has data_offsets that are not two non-negative integers [begin, end]")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw SafetensorsError.offsetsReversed(path: path, name: name, begin: begin, end: end) }
        guard let count = SafetensorsTensor.elementCount(shape),
              case let (expected, false) = count.multipliedReportingOverflow(by: dtype.byteSize) else {
            throw SafetensorsError.absurdShape(path: path, name: name, shape: shape)
        }
        guard expected == end - begin else {
            throw SafetensorsError.sizeMismatch(path: path, name: name, dtype: dtype, shape: shape,
                                                expectedBytes: expected, actualBytes: end - begin)
        }
        return (dtype, shape, begin, end)
    }

    // MARK: - Writing

    /// The file's bytes, laid out as Python's `safetensors` lays them out: tensors ordered by
    /// dtype (largest elements first) then by name, metadata keys sorted, the header padded
    /// with spaces to a multiple of 8 bytes so that every tensor starts aligned.
    /// - Throws: ``SafetensorsError/reservedName(name:)`` for a tensor called `__metadata__`.
    public func encoded() throws -> [UInt8] {
        if entries["__metadata__"] != nil { throw SafetensorsError.reservedName(name: "__metadata__") }
        let ordered = names.sorted { a, b in
            let (x, y) = (entries[a]!.dtype.layoutRank, entries[b]!.dtype.layoutRank)
            return x != y ? x > y : a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        var parts: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .map { jsonQuoted($0) + ":" + jsonQuoted(metadata[$0]!) }
            parts.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in ordered {
            let tensor = entries[name]!
            let end = offset + tensor.bytes.count
            parts.append(jsonQuoted(name) + ":{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":["
                         + tensor.shape.map(String.init).joined(separator: ",")
                         + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        var length = UInt64(header.count)
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length)); length >>= 8 }
        bytes += header
        for name in ordered { bytes += entries[name]!.bytes }
        return bytes
    }

    /// Writes the file atomically: the bytes go to a temporary file in the same folder, which
    /// then replaces `path` in one rename, so a crash or a full disk never leaves half a model.
    /// - Throws: ``SafetensorsError/writeFailed(path:reason:)``; an earlier file at `path` stays.
    public func write(to path: String) throws {
        let bytes = try encoded()
        do {
            try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: path))
        } catch let error as AtomicFileError {
            switch error {
            case let .writeFailed(_, reason), let .renameFailed(_, reason):
                throw SafetensorsError.writeFailed(path: path, reason: reason)
            }
        }
    }
}

extension SafetensorsError {
    /// The same error about the tensor called `name` (conversions do not know their name).
    func naming(_ name: String) -> SafetensorsError {
        switch self {
        case let .dtypeMismatch(_, stored, requested): return .dtypeMismatch(name: name, stored: stored, requested: requested)
        case let .invalidBool(_, index, byte): return .invalidBool(name: name, index: index, byte: byte)
        case let .shapeMismatch(_, shape, count, dtype): return .shapeMismatch(name: name, shape: shape, byteCount: count, dtype: dtype)
        default: return self
        }
    }
}
