/// Output for scripts and pipes: text only, no colors, no progress bars, a fixed width.
public final class PlainSink: OutputSink {
    private let stream: StandardStream

    /// A sink on standard output.
    public init() { stream = .output }

    public var isTerminal: Bool { false }
    public var width: Int { plainOutputWidth }
    public func write(_ text: String) { stream.write(text) }
}
