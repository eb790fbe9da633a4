/// The command lines of a session, for `history` (and, on a terminal, for arrow keys and
/// Ctrl-R through readline).
public protocol HistoryStore: AnyObject {
    /// The remembered lines, oldest first.
    var entries: [String] { get }
    /// Remembers a line (blank lines and repeats of the last line are skipped).
    func add(_ line: String)
    /// Writes the history where it persists, if it does.
    func save()
}

/// History kept in memory only: the lines of a script or a test session.
public final class InMemoryHistory: HistoryStore {
    public private(set) var entries: [String] = []
    public let limit: Int

    public init(limit: Int = HistoryFile.limit) { self.limit = limit }

    public func add(_ line: String) {
        guard !line.trimmingWhitespace().isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    public func save() {}
}

/// Where the persistent history lives and how long it may grow.
public enum HistoryFile {
    /// At most this many lines are kept.
    public static let limit = 1000

    /// `$SLIMLAB_HISTORY` when set and not empty, else `~/.slimlab_history`; nil when
    /// neither is known.
    public static func path(environment: [String: String]) -> String? {
        if let path = environment["SLIMLAB_HISTORY"], !path.isEmpty { return path }
        if let home = environment["HOME"], !home.isEmpty {
            return home.hasSuffix("/") ? home + ".slimlab_history" : home + "/.slimlab_history"
        }
        return nil
    }
}
