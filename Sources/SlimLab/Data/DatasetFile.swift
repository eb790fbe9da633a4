/// Reading dataset files, with the file-level errors every loader shares.
enum DatasetFile {
    /// The whole file at `path`; an empty file is an error, since no dataset is empty.
    static func read(_ path: String) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(atPath: path)
        } catch {
            switch error {
            case .notFound: throw DatasetError.fileNotFound(path: path)
            case .isDirectory: throw DatasetError.notAFile(path: path)
            case let .unreadable(reason): throw DatasetError.unreadable(path: path, reason: reason)
            }
        }
        if bytes.isEmpty { throw DatasetError.emptyFile(path: path) }
        return bytes
    }

    /// The file's name without folders and without its last extension: `data/iris.csv` → `iris`.
    static func baseName(_ path: String) -> String {
        let file = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
