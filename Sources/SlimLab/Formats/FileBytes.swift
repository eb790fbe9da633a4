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

/// Reads a whole regular file into memory, defensively: every reader of outside files (datasets,
/// models, scripts) goes through here.
///
/// - Only regular files: a FIFO, a device (`/dev/zero`, `/dev/urandom`), a socket or a folder is
///   refused by name after `stat`, before opening, so nothing blocks on a pipe without a writer
///   or reads an endless device until memory runs out. The open itself is non-blocking and the
///   opened file is checked again, in case the path changed in between.
/// - A size cap (`limit`, by default ``ResourceBudget/defaultMaxFileBytes``) before reading,
///   and again while reading, for files that grow.
///
/// Plain POSIX calls rather than `FileManager.contents(atPath:)`, which answers `nil` for
/// every failure: a learner needs to hear whether the file is missing, a folder, or not
/// readable.
func readFileBytes(atPath path: String, limit: Int = ResourceBudget.defaultMaxFileBytes) throws(FileReadFailure) -> [UInt8] {
    var status = stat()
    if stat(path, &status) != 0 {
        let code = errno
        if code == ENOENT || code == ENOTDIR { throw .notFound }
        throw .unreadable(String(cString: strerror(code)))
    }
    try checkRegular(status)
    if Int(status.st_size) > limit { throw .unreadable(tooLarge(Int(status.st_size), limit: limit)) }

    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    if descriptor < 0 {
        let code = errno
        if code == ENOENT || code == ENOTDIR { throw .notFound }
        if code == EISDIR { throw .isDirectory }
        throw .unreadable(String(cString: strerror(code)))
    }
    defer { close(descriptor) }
    var opened = stat()
    guard fstat(descriptor, &opened) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
    try checkRegular(opened)

    // Read until end of file rather than trusting st_size, which is 0 for /proc files.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(max(Int(opened.st_size), 0), limit))
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
        if bytes.count + count > limit { throw .unreadable(tooLarge(bytes.count + count, limit: limit, growing: true)) }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
}

/// Refuses anything but a regular file, naming what it is.
private func checkRegular(_ status: stat) throws(FileReadFailure) {
    switch status.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFDIR: throw .isDirectory
    case S_IFIFO: throw .unreadable("it is a FIFO (named pipe), not a regular file; SlimLab reads only regular files")
    case S_IFCHR: throw .unreadable("it is a character device, not a regular file; SlimLab reads only regular files")
    case S_IFBLK: throw .unreadable("it is a block device, not a regular file; SlimLab reads only regular files")
    case S_IFSOCK: throw .unreadable("it is a socket, not a regular file; SlimLab reads only regular files")
    default: throw .unreadable("it is not a regular file; SlimLab reads only regular files")
    }
}

private func tooLarge(_ size: Int, limit: Int, growing: Bool = false) -> String {
    (growing ? "it grew past " + ResourceError.bytes(size) : "it is " + ResourceError.bytes(size))
        + ", beyond the limit of \(ResourceError.bytes(limit)) for a file read whole"
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
