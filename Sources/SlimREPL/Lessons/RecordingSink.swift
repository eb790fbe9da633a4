/// Passes everything on to another sink and keeps a plain copy (colors removed), so a cell
/// played live on a terminal can be shown again and compared with its recording.
final class RecordingSink: OutputSink {
    private let inner: any OutputSink
    private var text = ""

    init(forwardingTo inner: any OutputSink) { self.inner = inner }

    var isTerminal: Bool { inner.isTerminal }
    var width: Int { inner.width }

    func write(_ text: String) {
        inner.write(text)
        self.text += text
    }

    func writeTransient(_ line: String) { inner.writeTransient(line) }
    func clearTransient() { inner.clearTransient() }

    /// What was written, line by line, without ANSI color codes.
    var lines: [String] {
        var lines = Self.removingEscapes(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `text` without `ESC [ … letter` sequences.
    static func removingEscapes(_ text: String) -> String {
        var result = ""
        var inEscape = false
        var sawBracket = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if !sawBracket { sawBracket = scalar == "["; if !sawBracket { inEscape = false }; continue }
                if (0x40...0x7E).contains(scalar.value) { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; sawBracket = false; continue }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// The history a lesson's cells see: the lines of the lesson's own cells only, so `history`
/// in a cell prints the same whatever the learner typed. Each line is also passed on to the
/// learner's history, where Up and Down find it.
final class LessonHistory: HistoryStore {
    private(set) var entries: [String] = []
    var learner: (any HistoryStore)?

    func add(_ line: String) {
        if !line.trimmingWhitespace().isEmpty, entries.last != line { entries.append(line) }
        learner?.add(line)
    }

    func save() {}
}
