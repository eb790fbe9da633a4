import Foundation

/// Writes files so that a crash or an error never leaves a half-written file behind:
/// the bytes go to a temporary file in the same directory, which is then renamed over the
/// destination (rename is atomic within one file system).
public enum AtomicFile {
    /// Replaces the file at `url` with `data`, atomically.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary, options: [])
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                throw AtomicFileError.renameFailed(url.path, String(cString: strerror(code)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? AtomicFileError { throw error }
            throw AtomicFileError.writeFailed(url.path, error.localizedDescription)
        }
    }

    /// Replaces the file at `url` with the UTF-8 bytes of `text`, atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}

/// Why a file could not be written; the destination is left as it was.
public enum AtomicFileError: Error, CustomStringConvertible {
    case writeFailed(String, String)
    case renameFailed(String, String)

    public var description: String {
        switch self {
        case let .writeFailed(path, reason): return "cannot write '\(path)': \(reason)"
        case let .renameFailed(path, reason): return "cannot replace '\(path)': \(reason)"
        }
    }
}
