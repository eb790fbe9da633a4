/// Lines from a list: a `--script` file, the pieces of `-c "…; …"`, a lesson cell, a test.
public final class ScriptedLineReader: LineReader {
    private var lines: [String]
    private var next = 0
    public let isInteractive: Bool
    private var enterPresses: Int

    /// - Parameters:
    ///   - interactive: pretend a person is typing (tests of pauses); scripts pass false.
    ///   - enterPresses: how many `waitForEnter` calls succeed before one reports a stop.
    public init(lines: [String], interactive: Bool = false, enterPresses: Int = .max) {
        self.lines = lines
        self.isInteractive = interactive
        self.enterPresses = enterPresses
    }

    /// The lines of a script's text (a trailing line break adds no empty line).
    public convenience init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        self.init(lines: lines)
    }

    public func readLine(prompt: String) -> String? {
        guard next < lines.count else { return nil }
        defer { next += 1 }
        return lines[next]
    }

    public func waitForEnter(prompt: String) -> Bool {
        guard isInteractive else { return true }
        enterPresses -= 1
        return enterPresses >= 0
    }
}
