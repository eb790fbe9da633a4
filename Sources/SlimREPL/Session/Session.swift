import SlimLab

/// One REPL session: a workspace, its settings and history, and the loop that reads command
/// lines, runs them and reports errors.
///
/// The same session runs a person at a terminal, a script from a pipe or file, a lesson
/// cell (`transcript(of:)`), or one line at a time (`execute(_:)`).
public final class Session {
    /// What running a line came to.
    public enum Outcome: Equatable {
        /// Every command of the line succeeded.
        case succeeded
        /// A command failed; the message was printed after `error: `.
        case failed(String)
        /// A command asked to end the session (`quit`).
        case quit
    }

    /// The state commands run against.
    public let context: CommandContext
    /// The session's datasets, models, pool, seed and stop signal.
    public var workspace: Workspace { context.workspace }

    /// A session on `workspace`.
    ///
    /// - Parameters:
    ///   - output: where output goes (`TerminalSink`, `PlainSink`, `CapturingSink`).
    ///   - isInteractive: whether a person types the lines (pauses allowed, no echo).
    ///   - noColor: `NO_COLOR` was set; `color=auto` then means no colors.
    public init(workspace: Workspace = Workspace(), registry: CommandRegistry = .standard,
                settings: SessionSettings = SessionSettings(), output: any OutputSink,
                history: any HistoryStore = InMemoryHistory(), isInteractive: Bool = false,
                noColor: Bool = false) {
        context = CommandContext(workspace: workspace, registry: registry, settings: settings,
                                 history: history, output: output, isInteractive: isInteractive,
                                 noColorRequested: noColor)
        context.session = self
    }

    /// A fresh session that writes a plain transcript into a buffer, for lessons and tests.
    public static func scripted(workspace: Workspace = Workspace(),
                                registry: CommandRegistry = .standard) -> Session {
        Session(workspace: workspace, registry: registry, output: CapturingSink())
    }

    /// The prompt: `slimlab> `, or `slimlab[NAME]> ` once there is a current model.
    public var prompt: String {
        if let name = context.currentModelName { return "slimlab[\(name)]> " }
        return "slimlab> "
    }

    /// The prompt for readline, colored when colors are on (escapes marked invisible).
    var readlinePrompt: String {
        guard context.usesColor else { return prompt }
        let text = String(prompt.dropLast(2))
        return ReadlineLineReader.invisible("\u{1B}[1;36m") + text
            + ReadlineLineReader.invisible("\u{1B}[0m") + "> "
    }

    // MARK: Running lines

    /// Runs one line against the session: its `;`-separated commands in order, stopping at
    /// the first error, which is printed as `error: …`. Blank lines and `#` comments do
    /// nothing. The session's state is unchanged by a command that fails to parse or validate.
    @discardableResult
    public func execute(_ line: String) -> Outcome {
        for piece in CommandLineTokenizer.splitCommands(line) {
            let outcome = executeOne(piece)
            if outcome != .succeeded { return outcome }
        }
        return .succeeded
    }

    /// A command that throws — an error, or Ctrl-C (`CommandStopped`, a technique's
    /// interruption) — leaves the workspace as it was before it: its contents are put back.
    private func executeOne(_ line: String) -> Outcome {
        workspace.stop.reset()
        defer { context.output.clearTransient() }
        let touched = context.workspace
        let before = touched.snapshot()
        do {
            guard let parsed = try context.registry.parse(line) else { return .succeeded }
            context.runningCommand = parsed.name
            defer { context.runningCommand = nil }
            try context.checkNames(parsed.arguments, configuration: parsed.configuration)
            try parsed.command.validate(in: context)
            try parsed.command.run(in: context)
        } catch let stopped as CommandStopped {
            touched.restore(before)
            context.print(context.style(stopped.description, .warning))
            return .failed(stopped.description)
        } catch {
            touched.restore(before)
            let message = String(describing: error)
            context.print(context.style("error:", .error) + " " + message)
            return .failed(message)
        }
        if context.quitRequested {
            context.quitRequested = false
            return .quit
        }
        return .succeeded
    }

    /// Whether a line holds no command (blank or a `#` comment).
    static func isSkippable(_ line: String) -> Bool {
        let trimmed = line.trimmingWhitespace()
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// Runs a line as a script does: writes the prompt and the line, then runs it, and the
    /// line joins the history. A lesson player uses it to play a cell on a live terminal.
    /// Nil for a blank line or a comment, which do nothing.
    @discardableResult
    public func executeEchoed(_ line: String) -> Outcome? {
        guard !Self.isSkippable(line) else { return nil }
        let trimmed = line.trimmingWhitespace()
        context.history.add(trimmed)
        context.output.write(prompt + trimmed + "\n")
        return execute(line)
    }

    /// Reads and runs lines until the input ends or `quit`, and returns the exit status.
    ///
    /// A person at a terminal (`reader.isInteractive`) sees readline's prompt, their lines go
    /// to the history, and errors never end the session. A script's lines are echoed after
    /// the prompt; after its first error the rest is skipped and the status is 1, unless
    /// `keepGoing`, which runs every line (the status is still 1 if any failed).
    public func run(reader: any LineReader, keepGoing: Bool = false) -> Int32 {
        context.reader = reader
        context.isInteractive = reader.isInteractive
        defer {
            context.history.save()
            context.reader = nil
        }
        var status: Int32 = 0
        while true {
            if reader.isInteractive {
                guard let line = reader.readLine(prompt: readlinePrompt) else {
                    context.output.write("\n")
                    break
                }
                let trimmed = line.trimmingWhitespace()
                // Enter on an empty line steps an open lesson, as `next` does.
                if trimmed.isEmpty, context.lesson != nil {
                    if execute("next") == .quit { break }
                    continue
                }
                context.history.add(trimmed)
                if execute(line) == .quit { break }
            } else {
                guard let line = reader.readLine(prompt: prompt) else { break }
                switch executeEchoed(line) {
                case .quit?: return status
                case .failed?:
                    status = 1
                    if !keepGoing { return status }
                default: break
                }
            }
        }
        return status
    }
}
