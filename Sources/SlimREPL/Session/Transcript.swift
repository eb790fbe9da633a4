/// What a list of command lines printed in script mode, as one text and line by line; the
/// lesson player compares it with a cell's `output` block.
public struct Transcript: Equatable {
    /// One command line and what it printed.
    public struct Entry: Equatable {
        /// The line as given (trimmed).
        public var line: String
        /// What the line printed after its echo, errors included.
        public var output: String
        /// The error message when the line failed.
        public var error: String?
    }

    /// Exactly what a script with these lines prints: each line echoed after the prompt,
    /// then its output.
    public var text: String
    /// The lines that ran (blank lines and comments left out), in order.
    public var entries: [Entry]
    /// Whether a line asked to quit (the lines after it did not run).
    public var quit: Bool

    /// Whether any line failed.
    public var failed: Bool { entries.contains { $0.error != nil } }
}

extension Session {
    /// Runs `lines` in script mode, as `slimlab --script` would, and returns the transcript.
    ///
    /// Works on a fresh session (`Session.scripted()`) or on a live one: output goes to a
    /// buffer in plain text (no colors, no progress, no pauses) and the session's own output
    /// and mode are restored afterwards, while what the commands did to the workspace stays.
    ///
    /// - Parameter keepGoing: run every line even after an error (lessons that show errors);
    ///   when false, stop after the first failing line, as a script does by default.
    public func transcript(of lines: [String], keepGoing: Bool = true) -> Transcript {
        let savedOutput = context.output
        let savedInteractive = context.isInteractive
        let savedReader = context.reader
        // As wide as the output it stands in for (a terminal's transcript is plain, at 100).
        let sink = CapturingSink(width: savedOutput.isTerminal ? plainOutputWidth : savedOutput.width)
        context.output = sink
        context.isInteractive = false
        context.reader = nil
        defer {
            context.output = savedOutput
            context.isInteractive = savedInteractive
            context.reader = savedReader
        }
        var entries: [Transcript.Entry] = []
        var quit = false
        for line in lines {
            let before = sink.text.utf8.count
            guard let outcome = executeEchoed(line) else { continue }
            let echoed = String(decoding: sink.text.utf8.dropFirst(before), as: UTF8.self)
            let output = echoed.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
                .dropFirst().first.map(String.init) ?? ""
            var error: String?
            if case .failed(let message) = outcome { error = message }
            entries.append(Transcript.Entry(line: line.trimmingWhitespace(), output: output, error: error))
            if outcome == .quit { quit = true; break }
            if error != nil && !keepGoing { break }
        }
        return Transcript(text: sink.text, entries: entries, quit: quit)
    }
}
