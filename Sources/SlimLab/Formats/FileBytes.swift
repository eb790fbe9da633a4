#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a whole file could not be read; the loaders turn it into their own typed errors.
enum FileReadFailure: Error, Equatable {
    case notFound
    case isDirectory
    case unreadable(String)
}

/// Reads a whole regular file into memory.
///
/// Plain POSIX calls rather than `FileManager.contents(atPath:)`, which answers `nil` for
/// every failure: a learner needs to hear whether the file is missing, a folder, or not
/// readable.
func readFileBytes(atPath path: String) throws(FileReadFailure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
        let code = errno
        if code == ENOENT || code == ENOTDIR { throw .notFound }
        if code == EISDIR { throw .isDirectory }
        throw .unreadable(String(cString: strerror(code)))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory }

    // Read until end of file rather than trusting st_size, which is 0 for pipes and /proc files.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(Int(status.st_size), 0))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EISDIR { throw .isDirectory }
            throw .unreadable(String(cString: strerror(code)))
        }
        if count == 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
}

/// Whether something (file, folder, link target) exists at `path`.
func fileExists(atPath path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
}

/// Whether `path` names a folder.
func isDirectory(atPath path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
}
