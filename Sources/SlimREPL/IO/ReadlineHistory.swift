import CReadline

/// The history readline keeps (arrow keys, Ctrl-R), loaded from and saved to a file,
/// bounded to `HistoryFile.limit` lines.
public final class ReadlineHistory: HistoryStore {
    /// The file the history persists in, or nil to keep it for this session only.
    public let path: String?

    /// Loads the history from `path` if the file exists.
    public init(path: String?) {
        self.path = path
        using_history()
        stifle_history(Int32(HistoryFile.limit))
        if let path { _ = read_history(path) }
    }

    public var entries: [String] {
        (0..<Int(slimlab_history_length())).compactMap { offset in
            slimlab_history_entry(Int32(offset)).map { String(cString: $0) }
        }
    }

    public func add(_ line: String) {
        guard !line.trimmingWhitespace().isEmpty, entries.last != line else { return }
        add_history(line)
    }

    /// Writes the file and trims it to the limit.
    public func save() {
        guard let path else { return }
        _ = write_history(path)
        _ = history_truncate_file(path, Int32(HistoryFile.limit))
    }
}
