/// Lines from standard input when it is not a terminal (`printf 'help\n' | slimlab`):
/// no prompt, no editing, no history.
public final class PipeLineReader: LineReader {
    public init() {}
    public var isInteractive: Bool { false }
    public func readLine(prompt: String) -> String? { Swift.readLine(strippingNewline: true) }
}
