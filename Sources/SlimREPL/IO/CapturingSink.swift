/// Keeps everything written, for transcripts (lesson replays) and tests.
///
/// It can pretend to be a terminal of a given width so terminal-only rendering (progress
/// bars, fitting tables) is testable; transient lines are recorded apart from the text.
public final class CapturingSink: OutputSink {
    /// Everything written with `write`, in order.
    public private(set) var text = ""
    /// Every transient line shown, in order.
    public private(set) var transientLines: [String] = []
    public let isTerminal: Bool
    public let width: Int
    /// The rows of the pretended screen (paging), if any.
    public let height: Int?

    public init(isTerminal: Bool = false, width: Int = plainOutputWidth, height: Int? = nil) {
        self.isTerminal = isTerminal
        self.width = width
        self.height = height
    }

    public func write(_ text: String) { self.text += text }

    public func writeTransient(_ line: String) {
        if isTerminal { transientLines.append(line) }
    }

    /// Returns the text captured so far and starts afresh.
    public func take() -> String {
        defer { text = "" }
        return text
    }
}
