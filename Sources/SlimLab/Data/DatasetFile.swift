/// Reading dataset files, with the file-level errors every loader shares.
enum DatasetFile {
    /// The whole file at `path`, unpacked if it is gzip data (its first bytes say so, whatever
    /// its name); an empty file is an error, since no dataset is empty.
    static func read(_ path: String) throws -> [UInt8] {
        var bytes: [UInt8]
        do {
            bytes = try readFileBytes(atPath: path)
        } catch {
            switch error {
            case .notFound: throw DatasetError.fileNotFound(path: path)
            case .isDirectory: throw DatasetError.notAFile(path: path)
            case let .unreadable(reason): throw DatasetError.unreadable(path: path, reason: reason)
            }
        }
        if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes, path: path) }
        if bytes.isEmpty { throw DatasetError.emptyFile(path: path) }
        return bytes
    }

    /// The file's name without folders and without its last extension (and `.gz`):
    /// `data/iris.csv` → `iris`, `t10k-images-idx3-ubyte.gz` → `t10k-images-idx3-ubyte`.
    static func baseName(_ path: String) -> String {
        var file = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        if file.hasSuffix(".gz") && file.count > 3 { file.removeLast(3) }
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
