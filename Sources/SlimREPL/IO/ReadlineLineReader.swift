#if canImport(Glibc)
import Glibc
#endif
import CReadline

/// Lines typed at a terminal, through GNU readline: editing, history (arrow keys, Ctrl-R),
/// Tab completion, and Ctrl-C clearing the line instead of ending the program.
///
/// Readline is a process-wide C library, so only one reader exists at a time; its callbacks
/// reach this reader's completer through file-private state used on the main thread only.
public final class ReadlineLineReader: LineReader {
    /// Computes completions: given the line before the word being completed, and that word,
    /// returns full replacements for the word.
    public typealias Completer = (_ lineBefore: String, _ word: String) -> [String]

    public init(completer: @escaping Completer) {
        readlineCompleter = completer
        slimlab_rl_set_readline_name("slimlab")
        slimlab_rl_set_catch_signals(0)
        slimlab_rl_set_completer_word_break_characters(wordBreakCharacters)
        slimlab_rl_set_completion(completeLine)
        slimlab_rl_set_signal_event_hook(clearLineAfterInterrupt)
    }

    deinit {
        readlineCompleter = nil
        slimlab_rl_set_completion(nil)
        slimlab_rl_set_signal_event_hook(nil)
    }

    public var isInteractive: Bool { true }

    public func readLine(prompt: String) -> String? {
        _ = InterruptHandler.takePending()
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    /// Waits for Enter with the terminal in its normal line mode; Ctrl-C or end of input
    /// returns false.
    public func waitForEnter(prompt: String) -> Bool {
        _ = InterruptHandler.takePending()
        StandardStream.output.write(prompt)
        var byte: UInt8 = 0
        var quit = false
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 {
                // `q` before Enter asks to stop, as Ctrl-C does.
                if byte == UInt8(ascii: "\n") { return !quit }
                if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") { quit = true }
                continue
            }
            if count < 0 && errno == EINTR {
                if InterruptHandler.takePending() {
                    StandardStream.output.write("\n")
                    return false
                }
                continue
            }
            StandardStream.output.write("\n")
            return false
        }
    }

    /// Marks text that takes no columns (color escapes) so readline measures the prompt right.
    public static func invisible(_ text: String) -> String { "\u{01}" + text + "\u{02}" }
}

// Readline calls these C callbacks on the main thread, from inside `readline()`.
nonisolated(unsafe) private var readlineCompleter: ReadlineLineReader.Completer?
nonisolated(unsafe) private var pendingMatches: [String] = []
nonisolated(unsafe) private var nextMatch = 0
nonisolated(unsafe) private let wordBreakCharacters: UnsafeMutablePointer<CChar> = strdup(" \t")

private func completeLine(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    slimlab_rl_set_completion_over(1)
    guard let text, let completer = readlineCompleter, let buffer = slimlab_rl_line_buffer() else { return nil }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                    count: Int(start))
    let before = String(decoding: bytes, as: UTF8.self)
    pendingMatches = completer(before, String(cString: text))
    nextMatch = 0
    guard !pendingMatches.isEmpty else { return nil }
    let keepsGoing = pendingMatches.count == 1 && (pendingMatches[0].hasSuffix("=") || pendingMatches[0].hasSuffix("/"))
    slimlab_rl_set_completion_suppress_append(keepsGoing ? 1 : 0)
    return slimlab_rl_completion_matches(text, nextCompletion)
}

private func nextCompletion(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 { nextMatch = 0 }
    guard nextMatch < pendingMatches.count else { return nil }
    defer { nextMatch += 1 }
    return strdup(pendingMatches[nextMatch])
}

private func clearLineAfterInterrupt() -> Int32 {
    if InterruptHandler.takePending() { slimlab_rl_clear_line() }
    return 0
}
