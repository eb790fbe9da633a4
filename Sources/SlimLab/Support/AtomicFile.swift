import Foundation

/// Writes files so that a crash or an error never leaves a half-written file behind:
/// the bytes go to a temporary file in the same directory (`.NAME.PID.tmp`), which is then
/// renamed over the destination (rename is atomic within one file system).
///
/// A save killed between the two steps leaves its temporary file; the next save of the same
/// target removes such leftovers (those whose process is gone), so they never pile up.
/// Failures are told in words — which path, what failed, what to do — from the system's
/// error number, never as a Foundation error code.
public enum AtomicFile {
    /// Replaces the file at `url` with `data`, atomically.
    public static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        // Only a regular file (or nothing) is replaced: renaming over a FIFO, a socket or a
        // device (`/dev/null`, which root may rename over) would destroy it.
        var status = stat()
        if stat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { throw AtomicFileError.writeFailed(path, "it is a folder; give a file name") }
            if kind != S_IFREG {
                let name = kind == S_IFIFO ? "a FIFO (named pipe)" : kind == S_IFCHR ? "a character device"
                    : kind == S_IFBLK ? "a block device" : kind == S_IFSOCK ? "a socket" : "not a file"
                throw AtomicFileError.writeFailed(path, "it is \(name), not a regular file; SlimLab saves only to regular files")
            }
        }
        removeLeftovers(of: url)
        let temporary = temporaryPath(for: url, process: getpid())
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AtomicFileError.writeFailed(path, reason(errno, path: path, directory: directory))
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw AtomicFileError.writeFailed(path, reason(failure, path: path, directory: directory))
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw AtomicFileError.renameFailed(path, reason(code, path: path, directory: directory))
        }
    }

    /// Replaces the file at `url` with the UTF-8 bytes of `text`, atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// The temporary file a save of `url` by process `process` writes first.
    static func temporaryPath(for url: URL, process: Int32) -> String {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(process).tmp").path
    }

    /// Removes the temporary files earlier, interrupted saves of `url` left behind: those named
    /// `.NAME.PID.tmp` beside it whose process no longer runs (a live one may be saving now).
    /// Returns how many were removed.
    @discardableResult
    public static func removeLeftovers(of url: URL) -> Int {
        let directory = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent)."
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let middle = entry.dropFirst(prefix.count).dropLast(4)
            guard let process = Int32(middle), process > 0 else { continue }
            if process != getpid(), kill(process, 0) == 0 || errno == EPERM { continue }
            if unlink(url.deletingLastPathComponent().appendingPathComponent(entry).path) == 0 { removed += 1 }
        }
        return removed
    }

    /// The system's error number in words, with what to do.
    static func reason(_ code: Int32, path: String, directory: String) -> String {
        let folder = directory.isEmpty ? "." : directory
        switch code {
        case ENOENT, ENOTDIR: return "the folder '\(folder)' does not exist; create it first or choose another path"
        case EACCES, EPERM: return "permission denied in the folder '\(folder)'; choose a folder you may write to"
        case EROFS: return "'\(folder)' is on a read-only file system; choose another folder"
        case ENOSPC, EDQUOT: return "the disk is full (or the quota used up); free some space and save again"
        case EISDIR: return "'\(path)' is a folder; give a file name"
        case ENAMETOOLONG: return "the path is too long"
        default: return String(cString: strerror(code))
        }
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
