import SlimLab

/// What a running command gets: the workspace, the output, the settings, the names the
/// session knows, and ways to show steps and progress and to notice Ctrl-C.
///
/// Commands print only through the context, so the same command writes a colored,
/// width-fitted view on a terminal and a plain transcript in a script.
public final class CommandContext {
    /// The session's datasets, models, thread pool, seed and stop signal. A lesson swaps in a
    /// fresh one while it is open and gives the learner's own back when it closes.
    public internal(set) var workspace: Workspace
    /// The commands of the session (for `help`) and the providers of names.
    public let registry: CommandRegistry
    /// The display settings `set` changes.
    public var settings: SessionSettings
    /// The lines typed so far (for `history`); a lesson's cell sees the lesson's own lines.
    public internal(set) var history: any HistoryStore
    /// Where output goes.
    public internal(set) var output: any OutputSink
    /// Whether a person is at the keyboard (pauses allowed) rather than a script.
    public internal(set) var isInteractive: Bool
    /// Whether `NO_COLOR` was set when the session started.
    public let noColorRequested: Bool

    var quitRequested = false
    /// The full name of the command running now (`prune magnitude`), for messages.
    var runningCommand: String?
    var reader: (any LineReader)?
    /// The session running the commands, so a lesson cell can run its lines as if typed.
    weak var session: Session?
    /// The open lesson, if any.
    var lesson: LessonPlayer?

    init(workspace: Workspace, registry: CommandRegistry, settings: SessionSettings, history: any HistoryStore,
         output: any OutputSink, isInteractive: Bool, noColorRequested: Bool) {
        self.workspace = workspace
        self.registry = registry
        self.settings = settings
        self.history = history
        self.output = output
        self.isInteractive = isInteractive
        self.noColorRequested = noColorRequested
    }

    // MARK: Output

    /// Whether colors are written now: `color=on`, or `auto` on a terminal without `NO_COLOR`.
    public var usesColor: Bool {
        switch settings.color {
        case .on: true
        case .off: false
        case .auto: output.isTerminal && !noColorRequested
        }
    }

    /// Applies text styles when colors are in use.
    public var style: TextStyler { TextStyler(enabled: usesColor) }

    /// The columns a line may use.
    public var width: Int { output.width }

    /// Digits after the point for numbers (`set precision=N`).
    public var precision: Int { settings.precision }

    /// Writes `text` and a line break. A line wider than the output is wrapped at word
    /// boundaries, its continuation indented two more than the line itself, so nothing
    /// printed is cut or runs past the edge (tables, boxes and charts fit themselves first).
    public func print(_ text: String = "") { emit(fitted(text) + "\n") }

    /// Writes each line with a line break (wrapped as `print(_:)` does).
    public func print(lines: [String]) {
        guard !lines.isEmpty else { return }
        emit(lines.map(fitted).joined(separator: "\n") + "\n")
    }

    // MARK: Paging

    /// Lines the running command printed since the last pause, and whether the person pressed
    /// `q` at a "more" prompt (the rest of the command's output is then left out).
    private var pagedLines = 0
    private var pagingStopped = false

    /// Whether long output waits for Enter after each screenful: `pause=on` or `pager=on`, on a
    /// terminal with a person at it.
    var isPaging: Bool {
        (settings.pause || settings.pager) && isInteractive && output.isTerminal && reader != nil && output.height != nil
    }

    /// Starts counting screen lines afresh (a new command line, a step pause).
    func resetPaging() {
        pagedLines = 0
        pagingStopped = false
    }

    /// Writes finished lines, pausing with "── more (Enter, q) ──" when a screenful is full.
    private func emit(_ text: String) {
        guard isPaging, let rows = output.height, let reader else {
            output.write(text)
            return
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            if pagingStopped { return }
            output.write(line + "\n")
            pagedLines += 1
            guard pagedLines >= max(2, rows - 1) else { continue }
            pagedLines = 0
            let more = reader.waitForEnter(prompt: style("── more (Enter, q) ──", .dim))
            // The prompt's line goes away, so the screenful reads on without a gap.
            output.write("\u{1B}[1A\u{1B}[2K")
            if !more { pagingStopped = true }
        }
    }

    /// `text` with every line wider than the output wrapped.
    func fitted(_ text: String) -> String {
        let width = self.width
        guard text.contains(where: { $0 != "\n" }), DisplayWidth.of(text) > width || text.contains("\n") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { piece -> String in
            let line = String(piece)
            guard DisplayWidth.of(line) > width else { return line }
            return TextWrapping.breakLine(line, width: width).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Writes `text` as is.
    public func write(_ text: String) { output.write(text) }

    /// `value` at the session precision: `0.1235`.
    public func fixed(_ value: Double) -> String { NumberFormatting.fixed(value, digits: precision) }

    // MARK: Names

    /// The names of `kind` the session knows now (variants, tensors, …), sorted as their
    /// provider returns them; empty when nobody provides that kind.
    public func names(_ kind: NameKind) -> [String] {
        if kind == .command { return registry.commandWords }
        return registry.nameProviders[kind]?(self) ?? []
    }

    /// Checks that `name` is a known name of `kind`, or throws an error naming the argument
    /// (`teacher=`), the closest known name and the known ones. Arguments declared with a
    /// `.name` kind are checked this way automatically before `validate`.
    public func requireName(_ name: String, _ kind: NameKind, argument: String? = nil) throws {
        let known = names(kind)
        guard !known.contains(name) else { return }
        throw CommandError.unknownName(kind: kind, name: name, argument: argument,
                                       suggestion: Suggestion.closest(to: name, among: known), known: known)
    }

    /// Checks every argument of kind `.name` (or a list of names) against the names the
    /// session knows. Paths and command words are not checked, nor kinds nobody provides.
    func checkNames(_ arguments: ParsedArguments, configuration: CommandConfiguration) throws {
        for spec in configuration.arguments {
            let (kinds, isList): ([NameKind], Bool)
            switch spec.kind {
            case .name(let named): (kinds, isList) = (named, false)
            case .list(.name(let named)): (kinds, isList) = (named, true)
            default: continue
            }
            if kinds == [.newVariant] {
                for text in arguments.texts(of: spec) { try workspace.variants.checkFree(text) }
                continue
            }
            guard !kinds.contains(.path), !kinds.contains(.command),
                  kinds.allSatisfy({ registry.nameProviders[$0] != nil }) else { continue }
            let known = kinds.flatMap { names($0) }
            for text in arguments.texts(of: spec) {
                for name in isList ? text.split(separator: ",").map(String.init) : [text] where !known.contains(name) {
                    throw CommandError.unknownName(kind: kinds[0], name: name,
                                                   argument: spec.key.map { "\($0)=" },
                                                   suggestion: Suggestion.closest(to: name, among: known), known: known)
                }
            }
        }
    }

    /// The loaded data, or the one "no data" error (`WorkspaceError.noData`) naming the
    /// running command.
    public func requireData() throws -> DatasetSplit {
        try workspace.requireData(runningCommand ?? "this command")
    }

    /// The current model's name, as the prompt shows it.
    public var currentModelName: String? { registry.currentModelName(self) }

    // MARK: Stopping, steps and progress

    /// Whether Ctrl-C asked the running command to stop.
    public var isStopRequested: Bool { workspace.stop.isRequested }

    /// Throws `CommandStopped` when Ctrl-C asked the running command to stop; call at safe
    /// points (between batches, between steps).
    public func checkStop() throws {
        if workspace.stop.isRequested { throw CommandStopped() }
    }

    /// Numbered steps of a technique: `Step 2/5 · …` headers, and on a terminal with
    /// `set pause=on` a wait for Enter before each step after the first.
    public func steps(_ total: Int) -> StepSequence { StepSequence(total: total, context: self) }

    /// A progress bar for `total` units of work; it draws only on a terminal.
    public func progress(total: Int, label: String) -> ProgressReporter {
        ProgressReporter(total: total, label: label, output: output, enabled: output.isTerminal && isInteractive)
    }

    /// Waits for Enter when pausing applies (interactive and `pause=on`, and the person has
    /// not pressed `q` at a "more" prompt of this command); false when they pressed Ctrl-C.
    func pauseBeforeStep(_ prompt: String) -> Bool {
        guard settings.pause, isInteractive, let reader, !pagingStopped else { return true }
        pagedLines = 0
        return reader.waitForEnter(prompt: prompt)
    }

    /// Asks the session to end after this command (`quit`).
    public func requestQuit() { quitRequested = true }
}
