import Foundation
import SlimKernels

/// SlimLab's file of a Deep Compression result (`.sldc`): pruned, weight-shared and
/// Huffman-coded tensors, so that its size on disk is exactly the size the pipeline reports.
///
/// Layout, little-endian:
///
///     "SLDC"  version:u8  architecture:(u16 length, UTF-8)  tensors:u16
///     per tensor, in the model's order:  name:(u8 length, UTF-8)  kind:u8
///       kind 0, fp32:    count:u32  count × f32
///       kind 1, shared:  count:u32  k:u16  gapBits:u8  entries:u32  k × f32 centroids
///                        (k+1) × u8 weight-code lengths   2^gapBits × u8 gap-code lengths
///                        (u32 bytes, bits) of the weight symbols   (u32 bytes, bits) of the gaps
///
/// A shared tensor's entries are its kept weights and fillers in row-major order
/// (``RelativeIndexCoding``): a Huffman-coded centroid index (k means "filler zero") and a
/// Huffman-coded gap. Entries not stored are pruned and read back as zero under a mask.
public enum DeepCompressionFile {
    static let magic: [UInt8] = Array("SLDC".utf8)
    static let version: UInt8 = 1

    /// What one tensor takes in the file.
    public struct TensorRecord: Sendable, Equatable {
        public var name: String
        /// The tensor's entries (n).
        public var count: Int
        /// Whether it is stored shared (else fp32).
        public var isShared: Bool
        /// Kept weights (not fillers).
        public var kept: Int
        public var fillers: Int
        public var clusters: Int
        public var gapBits: Int
        /// The Huffman-coded bits of the weight symbols and of the gaps.
        public var weightCodeBits: Int
        public var gapCodeBits: Int
        /// Bytes of the record: name, counts, codebook, code tables and both bit streams.
        public var bytes: Int
        /// Of those, the centroids (k × 4) and the two code tables.
        public var codebookBytes: Int
        public var tableBytes: Int
    }

    /// A model's file bytes, with how they divide among the tensors.
    public struct Encoding: Sendable {
        public var bytes: [UInt8]
        public var tensors: [TensorRecord]
        /// Magic, version, architecture and tensor count.
        public var headerBytes: Int
    }

    /// The gap bits for a tensor: 5 for Dense weights, 8 for convolutions (as in the paper).
    public static func gapBits(forShape shape: [Int]) -> Int { SharedWeightEncoding.gapBits(forShape: shape) }

    /// Encodes `model`: tensors with a codebook are stored shared, the rest as fp32.
    public static func encode(_ model: Model) -> Encoding {
        var out: [UInt8] = magic + [version]
        let architecture = model.architecture
        let text = (try? ModelArchitecture.parse(architecture.specification)) == architecture
            ? architecture.specification : architecture.jsonText()
        let textBytes = Array(text.utf8)
        append(UInt16(textBytes.count), to: &out)
        out += textBytes
        let codebooks = model.codebooks
        var names: [(String, Parameter)] = []
        for layer in model.layers {
            for parameter in layer.parameters { names.append(("\(layer.name).\(parameter.name)", parameter)) }
        }
        append(UInt16(names.count), to: &out)
        let headerBytes = out.count
        var records: [TensorRecord] = []
        for (name, parameter) in names {
            let start = out.count
            let nameBytes = Array(name.utf8)
            out.append(UInt8(nameBytes.count))
            out += nameBytes
            if let codebook = codebooks[name] {
                let k = codebook.clusterCount
                let shared = SharedWeightEncoding(codebook, shape: parameter.value.shape, coding: .huffman, relative: true)
                let bits = shared.gapBits ?? gapBits(forShape: parameter.value.shape)
                out.append(1)
                append(UInt32(parameter.count), to: &out)
                append(UInt16(k), to: &out)
                out.append(UInt8(bits))
                append(UInt32(shared.entries), to: &out)
                for c in codebook.centroids { append(c.bitPattern, to: &out) }
                out += shared.codeLengths
                append(UInt32(shared.symbols.count), to: &out)
                out += shared.symbols
                append(UInt32(shared.gaps.count), to: &out)
                out += shared.gaps
                records.append(TensorRecord(
                    name: name, count: parameter.count, isShared: true, kept: shared.entries - shared.fillers,
                    fillers: shared.fillers, clusters: k, gapBits: bits, weightCodeBits: shared.symbolBitCount,
                    gapCodeBits: shared.gapBitCount, bytes: out.count - start, codebookBytes: 4 * k,
                    tableBytes: shared.codeLengths.count))
            } else {
                out.append(0)
                append(UInt32(parameter.count), to: &out)
                parameter.value.withUnsafeBufferPointer { for x in $0 { append(x.bitPattern, to: &out) } }
                records.append(TensorRecord(
                    name: name, count: parameter.count, isShared: false, kept: parameter.count, fillers: 0, clusters: 0,
                    gapBits: 0, weightCodeBits: 0, gapCodeBits: 0, bytes: out.count - start, codebookBytes: 0, tableBytes: 0))
            }
        }
        return Encoding(bytes: out, tensors: records, headerBytes: headerBytes)
    }

    /// Writes `encoding` to `path` atomically (temporary file, then rename).
    public static func write(_ encoding: Encoding, to path: String) throws {
        try AtomicFile.write(Data(encoding.bytes), to: URL(fileURLWithPath: path))
    }

    /// The model in `bytes`: its architecture rebuilt, every tensor decoded, pruned entries
    /// masked and shared tensors with their codebooks (so fine-tuning keeps them shared).
    /// - Throws: ``DeepCompressionFileError`` saying what is wrong.
    public static func decode(_ bytes: [UInt8]) throws -> Model {
        var cursor = ByteCursor(bytes)
        guard try cursor.bytes(4) == magic else { throw DeepCompressionFileError.notThisFormat }
        let fileVersion = try cursor.byte()
        guard fileVersion == version else { throw DeepCompressionFileError.unsupportedVersion(Int(fileVersion)) }
        let text = String(decoding: try cursor.bytes(Int(try cursor.uint16())), as: UTF8.self)
        let architecture = text.hasPrefix("{") ? try ModelArchitecture(jsonText: text) : try ModelArchitecture.parse(text)
        var generator = SeededGenerator(seed: 0)
        var model = try architecture.makeModel(generator: &generator)
        let tensorCount = Int(try cursor.uint16())
        guard tensorCount == model.parameterNames.count else {
            throw DeepCompressionFileError.corrupt("it holds \(tensorCount) tensors, but its architecture has \(model.parameterNames.count)")
        }
        for _ in 0..<tensorCount {
            let name = String(decoding: try cursor.bytes(Int(try cursor.byte())), as: UTF8.self)
            let parameter: Parameter
            do { parameter = try model.parameter(named: name) } catch {
                throw DeepCompressionFileError.corrupt("it holds a tensor '\(name)' its architecture does not have")
            }
            let kind = try cursor.byte()
            let count = Int(try cursor.uint32())
            guard count == parameter.count else {
                throw DeepCompressionFileError.corrupt("\(name) holds \(count) entries, its layer needs \(parameter.count)")
            }
            switch kind {
            case 0:
                var values = [Float](repeating: 0, count: count)
                for i in 0..<count { values[i] = Float(bitPattern: try cursor.uint32()) }
                // SlimLab never writes NaN or infinity (as model files refuse them).
                if let bad = values.firstIndex(where: { !$0.isFinite }) {
                    throw DeepCompressionFileError.corrupt("\(name)[\(bad)] is \(values[bad]); SlimLab never writes NaN or infinity")
                }
                let shape = parameter.value.shape
                try model.updateParameter(named: name) { $0.value = Tensor(shape: shape, scalars: values) }
            case 1:
                let k = Int(try cursor.uint16())
                let bits = Int(try cursor.byte())
                guard k >= 1, k <= WeightClustering.maximumClusters, bits >= 1, bits <= 16 else {
                    throw DeepCompressionFileError.corrupt("\(name) declares \(k) clusters and \(bits)-bit gaps")
                }
                let entryCount = Int(try cursor.uint32())
                var centroids: [Float] = []
                for _ in 0..<k { centroids.append(Float(bitPattern: try cursor.uint32())) }
                if let bad = centroids.firstIndex(where: { !$0.isFinite }) {
                    throw DeepCompressionFileError.corrupt("\(name)'s centroid \(bad) is \(centroids[bad]); SlimLab never writes NaN or infinity")
                }
                let lengths = try cursor.bytes(k + 1 + (1 << bits))
                let symbols = try cursor.bytes(Int(try cursor.uint32()))
                let gaps = try cursor.bytes(Int(try cursor.uint32()))
                let shared = SharedWeightEncoding(coding: .huffman, centroids: centroids, count: count, gapBits: bits,
                                                  entries: entryCount, fixedSymbolBits: 0, symbols: symbols, gaps: gaps,
                                                  codeLengths: lengths)
                let assignments = try shared.assignments()
                let codebook = WeightCodebook(parameter: name, centroids: centroids, assignments: assignments, coding: .huffman)
                let shape = parameter.value.shape
                let pruned = assignments.contains(-1)
                try model.updateParameter(named: name) { p in
                    p.value = codebook.values(shape: shape)
                    p.mask = pruned ? Tensor(shape: shape, scalars: assignments.map { $0 >= 0 ? 1 : 0 }) : nil
                }
                model.codebooks[name] = codebook
            default:
                throw DeepCompressionFileError.corrupt("\(name) has storage kind \(kind); known are 0 (fp32) and 1 (shared)")
            }
        }
        guard cursor.isAtEnd else { throw DeepCompressionFileError.corrupt("\(cursor.remaining) bytes follow the last tensor") }
        return model
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }
}

/// Reads little-endian fields, failing cleanly at the end of the data.
struct ByteCursor {
    private let data: [UInt8]
    private var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    var isAtEnd: Bool { offset == data.count }
    var remaining: Int { data.count - offset }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw DeepCompressionFileError.corrupt("the file ends early (needed \(count) more bytes at offset \(offset), \(remaining) left)")
        }
        defer { offset += count }
        return Array(data[offset..<(offset + count)])
    }

    mutating func byte() throws -> UInt8 { try bytes(1)[0] }

    mutating func uint16() throws -> UInt16 {
        let b = try bytes(2)
        return UInt16(b[0]) | UInt16(b[1]) << 8
    }

    mutating func uint32() throws -> UInt32 {
        let b = try bytes(4)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }
}

/// What can be wrong with a Deep Compression file.
public enum DeepCompressionFileError: Error, CustomStringConvertible, Equatable, Sendable {
    case notThisFormat
    case unsupportedVersion(Int)
    case corrupt(String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read '\(path)': \(reason)"
        case .notThisFormat: return "not a SlimLab Deep Compression file (it does not start with SLDC)"
        case .unsupportedVersion(let v): return "a Deep Compression file of version \(v); this SlimLab reads version \(DeepCompressionFile.version)"
        case .corrupt(let why): return "the Deep Compression file is damaged: \(why)"
        }
    }
}

extension DeepCompressionFile {
    /// The bytes of the file at `path`.
    /// - Throws: ``DeepCompressionFileError/unreadable(path:reason:)``.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        do {
            return try readFileBytes(atPath: path)
        } catch {
            switch error {
            case .notFound: throw DeepCompressionFileError.unreadable(path: path, reason: "no such file")
            case .isDirectory: throw DeepCompressionFileError.unreadable(path: path, reason: "it is a folder")
            case .unreadable(let reason): throw DeepCompressionFileError.unreadable(path: path, reason: reason)
            }
        }
    }

    /// The model in the file at `path`.
    public static func read(_ path: String) throws -> Model {
        try decode(readBytes(path))
    }
}
