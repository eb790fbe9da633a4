#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output to an interactive terminal: its current width, and a transient line for progress
/// bars that is redrawn in place with `\r` and erased before other output.
public final class TerminalSink: OutputSink {
    private let stream: StandardStream
    private var transientShown = false

    /// A sink on standard output.
    public init() { stream = .output }

    public var isTerminal: Bool { true }

    /// The terminal's columns (`TIOCGWINSZ`), then `COLUMNS`, then 80.
    public var width: Int { TerminalSize.columns(of: stream.descriptor) ?? 80 }

    /// The terminal's rows (`TIOCGWINSZ`), then `LINES`, then 24.
    public var height: Int? { TerminalSize.rows(of: stream.descriptor) ?? 24 }

    public func write(_ text: String) {
        clearTransient()
        stream.write(text)
    }

    public func writeTransient(_ line: String) {
        stream.write("\r" + line + "\u{1B}[K")
        transientShown = true
    }

    public func clearTransient() {
        guard transientShown else { return }
        stream.write("\r\u{1B}[K")
        transientShown = false
    }
}

/// The size of the terminal a descriptor refers to.
public enum TerminalSize {
    /// The number of columns, or nil when the descriptor is not a terminal and `COLUMNS`
    /// is unset.
    public static func columns(of descriptor: Int32) -> Int? {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 {
            return columns
        }
        return nil
    }

    /// The number of rows, or nil when the descriptor is not a terminal and `LINES` is unset.
    public static func rows(of descriptor: Int32) -> Int? {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 {
            return Int(size.ws_row)
        }
        if let text = getenv("LINES"), let rows = Int(String(cString: text)), rows > 0 {
            return rows
        }
        return nil
    }
}
