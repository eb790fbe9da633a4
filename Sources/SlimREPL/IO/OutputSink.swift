/// Where a session's output goes: a terminal, plain standard output, or a buffer in tests.
///
/// Rendering code asks the sink how wide lines may be and whether it is a terminal (for
/// colors, progress bars and pauses), and writes finished text to it.
public protocol OutputSink: AnyObject {
    /// Whether this is an interactive terminal (colors allowed, progress bars shown).
    var isTerminal: Bool { get }
    /// The columns a line may use: the terminal's width, or a fixed width for plain text so
    /// that transcripts never depend on the window.
    var width: Int { get }
    /// The rows of the screen, for paging; nil where output is not a screen.
    var height: Int? { get }
    /// Writes text as is (include the line breaks).
    func write(_ text: String)
    /// Shows a line that the next transient line or `write` replaces (a progress bar).
    /// Sinks that are not terminals ignore it.
    func writeTransient(_ line: String)
    /// Removes the transient line, if one is shown.
    func clearTransient()
}

extension OutputSink {
    public var height: Int? { nil }
    public func writeTransient(_ line: String) {}
    public func clearTransient() {}
}

/// The width of plain (script) output: fixed so transcripts are the same everywhere.
public let plainOutputWidth = 100
