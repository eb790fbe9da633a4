import CZlib

/// Unpacks gzip data (RFC 1952) through zlib, so datasets that ship compressed
/// (Fashion-MNIST's `train-images-idx3-ubyte.gz`) load without unpacking them first.
///
/// A gzip file starts with the bytes 1F 8B; several members one after another (what `cat a.gz
/// b.gz` makes) unpack to their concatenation, as `gunzip` does. The output is capped at
/// ``outputLimit`` so a damaged or hostile file cannot exhaust memory.
public enum Gzip {
    /// The most bytes one file may unpack to (2 GiB; Fashion-MNIST's training images are 47 MB).
    public static let outputLimit = 1 << 31

    /// Whether `bytes` start like gzip data.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The unpacked bytes of gzip data; `path` only names the file in errors.
    /// - Throws: ``DatasetError/corruptGzip(path:reason:)`` for damaged or truncated data,
    ///   ``DatasetError/absurdSize(path:detail:)`` past ``outputLimit``.
    public static func decompress(_ input: [UInt8], path: String, limit: Int = outputLimit) throws -> [UInt8] {
        guard input.count < Int(UInt32.max) else {
            throw DatasetError.absurdSize(path: path, detail: "a gzip file over 4 GiB")
        }
        var stream = z_stream()
        guard slimlab_inflate_init_gzip(&stream) == Z_OK else {
            throw DatasetError.corruptGzip(path: path, reason: "zlib could not start (out of memory?)")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        // The last four bytes hold the unpacked size modulo 2³² (of the last member): a good first guess.
        if input.count >= 18 {
            let n = input.count
            let size = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
            output.reserveCapacity(min(size, limit))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw DatasetError.absurdSize(path: path, detail: "gzip data that unpacks to more than \(limit) bytes")
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let remaining = Int(stream.avail_in)
                    if remaining == 0 { return }
                    let rest = UnsafeBufferPointer(rebasing: source[(source.count - remaining)...])
                    if rest.allSatisfy({ $0 == 0 }) { return }   // padding, which gunzip also ignores
                    guard rest.count >= 2, rest[0] == 0x1F, rest[1] == 0x8B else {
                        throw DatasetError.corruptGzip(path: path, reason: "\(remaining) bytes after the end of the gzip data are not another gzip member")
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DatasetError.corruptGzip(path: path, reason: "the data ends before the gzip stream does (truncated after \(input.count) bytes)")
                case Z_BUF_ERROR:
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw DatasetError.corruptGzip(path: path, reason: message)
                }
            }
        }
        return output
    }
}
