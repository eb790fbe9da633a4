/// Where a session's command lines come from: readline on a terminal, plain lines from a
/// pipe or a script, or a fixed list in tests.
public protocol LineReader: AnyObject {
    /// Whether a person is typing: prompts are shown by the reader, lines are not echoed,
    /// and commands may pause between steps.
    var isInteractive: Bool { get }
    /// The next line without its line break, or nil at the end of input (Ctrl-D).
    func readLine(prompt: String) -> String?
    /// Waits until the person presses Enter; false when they asked to stop (Ctrl-C, end of
    /// input). Readers that are not interactive return true at once.
    func waitForEnter(prompt: String) -> Bool
}

extension LineReader {
    public func waitForEnter(prompt: String) -> Bool { true }
}
