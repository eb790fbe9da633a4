import Foundation
import SlimLab

/// A lesson open in a live session: where it stands, the lesson's own state, and the
/// learner's own workspace and settings, set aside while the lesson runs.
///
/// The learner may type anything between the steps, and nothing they do changes what a cell
/// prints: before each cell the lesson's own models, data, seed and settings are put back
/// (so a cell runs on the lesson's current model, with the lesson's precision), the learner's
/// own models are kept out of the cell's sight, and afterwards the learner gets the lesson's
/// new models beside their own. Names a later cell will make are reserved, and the lesson's
/// models cannot be dropped.
final class LessonPlayer {
    let lesson: Lesson
    let file: URL
    /// How many steps are done; the next one is `steps[position]`.
    private(set) var position = 0
    /// The learner's own workspace and settings from before the lesson, given back on close.
    let setAside: (workspace: Workspace, settings: SessionSettings)
    /// The lesson's own state after its last cell.
    private(set) var own: WorkspaceState
    /// Each name a cell makes, with the number of the first cell making it.
    let madeNames: [String: Int]
    /// True while the player itself runs commands (a cell, an answer): they are not the learner's.
    private(set) var isRunningStep = false
    /// How each exercise ended, by number.
    private(set) var results: [Int: ExerciseResult] = [:]
    /// How many hints of each exercise were shown, by number.
    private var hintsShown: [Int: Int] = [:]
    /// What the learner did since the current exercise began.
    private var attempt = Attempt()
    /// What ran, in order: the transcript `back` and `lesson export` show.
    private(set) var log: [LogEntry] = []
    private var toldAboutSettings = false
    /// The lines of the lesson's own cells, for `history` inside a cell.
    private var cellHistory = LessonHistory()

    enum ExerciseResult: String, Sendable { case solved, skipped }

    struct Attempt {
        var commands: [String] = []
        var answers: [String] = []
        var tries = 0
        /// The models there were before the learner's last command.
        var modelsSeen: Set<String>?
    }

    /// One thing that ran: a cell (with what it printed), or a learner's line.
    struct LogEntry {
        enum Kind { case cell(Int), learner, exercise(Int, ExerciseResult) }
        var kind: Kind
        var lines: [String]
        var output: [String]
    }

    /// Opens `lesson` in `context`: the learner's state is set aside (`setAside`, or the
    /// context's own when nil) and the lesson starts in an empty workspace with its settings.
    init(lesson: Lesson, file: URL, context: CommandContext,
         setAside: (workspace: Workspace, settings: SessionSettings)? = nil) {
        self.lesson = lesson
        self.file = file
        self.setAside = setAside ?? (context.workspace, context.settings)
        self.madeNames = LessonNames.made(by: lesson)
        let lessonSettings = SessionSettings(color: self.setAside.settings.color,
                                             precision: lesson.settings.precision, pause: false)
        context.workspace = Workspace(threads: context.workspace.pool.threadCount, seed: lesson.settings.seed,
                                      stop: context.workspace.stop)
        context.settings = lessonSettings
        own = WorkspaceState(of: context)
    }

    var steps: [LessonStep] { lesson.steps }
    var cellCount: Int { lesson.cells.count }
    var exerciseCount: Int { lesson.exercises.count }
    var isFinished: Bool { position >= steps.count }
    var nextStep: LessonStep? { isFinished ? nil : steps[position] }
    /// The exercise the learner is at, if any.
    var currentExercise: LessonExercise? {
        if case let .exercise(exercise)? = nextStep { return exercise }
        return nil
    }
    /// How many cells have run (the cells before `position`).
    var cellsDone: Int {
        steps.prefix(position).filter { if case .cell = $0 { true } else { false } }.count
    }
    var solvedCount: Int { results.values.filter { $0 == .solved }.count }

    /// `Lesson 01 · A first baseline`
    var heading: String { "Lesson \(String(format: "%02d", lesson.number)) · \(lesson.title)" }

    /// The step index of cell `number`.
    func stepIndex(ofCell number: Int) -> Int? {
        steps.firstIndex { if case let .cell(cell) = $0 { cell.number == number } else { false } }
    }

    // MARK: Running steps

    /// What running a cell came to.
    struct CellRun {
        var output: [String]
        /// The first error the recording does not show, if any.
        var unexpectedError: String?
        var quit: Bool
    }

    /// Runs `cell` on the lesson's own state, whatever the learner did, and gives the learner
    /// the lesson's new models beside their own. Live, it echoes the commands and shows their
    /// output as it comes; else it captures it (`quietly` or for replays). A cell that fails
    /// where its recording shows no error leaves the lesson's state as it was before.
    func run(_ cell: LessonCell, in context: CommandContext, live: Bool) -> CellRun {
        guard let session = context.session else { return CellRun(output: [], unexpectedError: "no session", quit: false) }
        let learner = WorkspaceState(of: context)
        let learnerSettingsDiffer = learner.settings != own.settings || learner.seed != own.seed
        let before = own
        own.install(in: context)
        isRunningStep = true
        let learnerHistory = context.history
        cellHistory.learner = learnerHistory
        context.history = cellHistory
        defer { context.history = learnerHistory }
        var outcomes: [Session.Outcome] = []
        var output: [String]
        if live {
            let recorder = RecordingSink(forwardingTo: context.output)
            let saved = context.output
            context.output = recorder
            for command in cell.commands {
                guard let outcome = session.executeEchoed(command) else { continue }
                outcomes.append(outcome)
                if outcome == .quit { break }
            }
            context.output = saved
            output = recorder.lines
        } else {
            let transcript = session.transcript(of: cell.commands, keepGoing: true)
            outcomes = transcript.entries.map { $0.error.map(Session.Outcome.failed) ?? .succeeded }
            if transcript.quit { outcomes.append(.quit) }
            output = transcript.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if output.last == "" { output.removeLast() }
        }
        isRunningStep = false
        let unexpected = outcomes.lazy.compactMap { outcome -> String? in
            guard case let .failed(message) = outcome else { return nil }
            return (cell.expectedOutput ?? []).contains { $0.hasSuffix("error: " + message) || $0 == message } ? nil : message
        }.first
        if unexpected != nil {
            own = before
        } else {
            own = WorkspaceState(of: context)
        }
        giveBack(learner, settingsDiffer: learnerSettingsDiffer, lessonHad: Set(before.variants.names), in: context)
        log.append(LogEntry(kind: .cell(cell.number), lines: cell.commands, output: output))
        return CellRun(output: output, unexpectedError: unexpected, quit: outcomes.contains(.quit))
    }

    /// After a cell: the learner's view is the lesson's state plus the learner's own models,
    /// with their own settings if they had changed them.
    private func giveBack(_ learner: WorkspaceState, settingsDiffer: Bool, lessonHad before: Set<String> = [],
                          in context: CommandContext) {
        var view = own
        let lessonNames = Set(own.variants.names)
        for variant in learner.variants.variants where !lessonNames.contains(variant.name) {
            try? view.variants.add(variant)
        }
        // A learner's model the cell made anew under the same name (only a name no cell
        // states, one a command chose itself, can be taken) gives way to the lesson's.
        let earlier = Set(learner.variants.names)
        let lost = own.variants.names.filter { earlier.contains($0) && !before.contains($0) }
        if let current = own.variants.currentName { try? view.variants.use(current) }
        if settingsDiffer {
            view.settings = learner.settings
            view.seed = learner.seed
        }
        view.install(in: context)
        for name in lost {
            context.print(context.style("note: the lesson made a model \(name), so your own \(name) is gone; give yours another name next time.", .warning))
        }
    }

    /// Marks the next step done.
    func advance() { position = min(position + 1, steps.count) }

    /// Goes back to the start: the lesson's state is emptied; the learner keeps their models.
    func rewind(in context: CommandContext) {
        var learner = WorkspaceState(of: context)
        for name in own.variants.names { _ = try? learner.variants.drop(name) }
        let settingsDiffer = learner.settings != own.settings || learner.seed != own.seed
        own.variants = VariantTable()
        own.data = nil
        own.lastTrace = nil
        own.lastDistillation = nil
        own.seed = lesson.settings.seed
        own.settings = SessionSettings(color: setAside.settings.color, precision: lesson.settings.precision, pause: false)
        position = 0
        attempt = Attempt()
        cellHistory = LessonHistory()
        giveBack(learner, settingsDiffer: settingsDiffer, in: context)
    }

    /// Runs the cells up to step `target` quietly (exercises on the way are passed, their
    /// results kept). Returns the cell that failed, if one did.
    func catchUp(to target: Int, in context: CommandContext) -> (cell: Int, error: String)? {
        while position < min(target, steps.count) {
            if case let .cell(cell) = steps[position] {
                let run = run(cell, in: context, live: false)
                if let error = run.unexpectedError { return (cell.number, error) }
            }
            advance()
            attempt = Attempt()
        }
        return nil
    }

    // MARK: The learner's commands

    /// The names later cells will make that the learner may not take, with the cell making each.
    func reservedNames() -> [String: Int] {
        let nextCell = steps[position...].lazy.compactMap { if case let .cell(cell) = $0 { cell.number } else { nil } }.first
        guard let nextCell else { return [:] }
        let existing = Set(own.variants.names)
        return madeNames.filter { $0.value >= nextCell && !existing.contains($0.key) }
    }

    /// Whether `parsed` is the learner's own command (not a cell's, not one steering the lesson).
    func watches(_ parsed: CommandRegistry.ParsedCommand) -> Bool {
        !isRunningStep && !(parsed.command is any LessonControlCommand)
    }

    /// Refuses a learner's command that would take a reserved name or drop a lesson's model.
    func check(_ parsed: CommandRegistry.ParsedCommand, in context: CommandContext) throws {
        attempt.modelsSeen = Set(context.workspace.variants.names)
        let reserved = reservedNames()
        for spec in parsed.configuration.arguments where Self.mayGiveAName(spec) {
            for name in parsed.arguments.texts(of: spec) {
                if let cell = reserved[name] { throw LessonGuardError.reserved(name, cell: cell) }
            }
        }
        if parsed.command is ModelDropCommand {
            for spec in parsed.configuration.arguments {
                for name in parsed.arguments.texts(of: spec) where own.variants.names.contains(name) {
                    throw LessonGuardError.lessonModel(name)
                }
            }
        }
    }

    /// Whether an argument may name a new model: free text (`as=`, `name=`, `model copy A B`),
    /// or a kind of name nobody knows yet (not one of the things that exist).
    static func mayGiveAName(_ spec: ArgumentSpec) -> Bool {
        if spec.key == "as" || spec.key == "name" { return true }
        switch spec.kind {
        case .text: return true
        case .name(let kinds):
            let existing: Set<NameKind> = [.variant, .tensor, .lesson, .dataset, .path, .command]
            return !kinds.contains { existing.contains($0) }
        default: return false
        }
    }

    /// After a learner's command: notes about settings and the lesson's models, and the
    /// current exercise's checks.
    func noteLearnerCommand(_ line: String, in context: CommandContext) {
        log.append(LogEntry(kind: .learner, lines: [line], output: []))
        if context.settings != own.settings || context.workspace.seed != own.seed {
            if !toldAboutSettings {
                toldAboutSettings = true
                context.print(context.style("note: the lesson's cells keep their own settings (precision \(own.settings.precision), seed \(own.seed)); yours apply to your own commands.", .dim))
            }
        }
        for name in own.variants.names {
            guard let mine = try? context.workspace.variants.variant(named: name),
                  let lessons = try? own.variants.variant(named: name) else { continue }
            if mine.trainingRuns.count != lessons.trainingRuns.count || mine.origin != lessons.origin
                || mine.model.completedEpochs != lessons.model.completedEpochs
                || mine.model.nonZeroParameterCount != lessons.model.nonZeroParameterCount {
                context.print(context.style("note: \(name) is the lesson's model; its next cell uses the lesson's own \(name) — `model copy \(name) my-\(name)` first to keep a change.", .dim))
                break
            }
        }
        guard currentExercise != nil else { return }
        attempt.commands.append(line)
        // A miss is worth saying when the command made a model (else `help` would nag).
        let names = Set(context.workspace.variants.names)
        let madeModel = !names.subtracting(attempt.modelsSeen ?? names).isEmpty
        checkExercise(in: context, announceMiss: madeModel)
    }

    /// A typed `answer VALUE` at the current exercise.
    func typedAnswer(_ value: String, in context: CommandContext) {
        attempt.answers.append(value)
        log.append(LogEntry(kind: .learner, lines: ["answer \(value)"], output: []))
        checkExercise(in: context, announceMiss: true)
    }

    /// Why the current exercise's checks fail (nil when they pass).
    func exerciseFailure(in context: CommandContext) -> String? {
        guard let exercise = currentExercise else { return nil }
        let lessonNames = Set(own.variants.names)
        let evidence = ExerciseEvidence(
            learnerVariants: context.workspace.variants.variants.filter { !lessonNames.contains($0.name) },
            test: context.workspace.data?.test, pool: context.workspace.pool,
            commands: attempt.commands, answers: attempt.answers)
        return exercise.checks.lazy.compactMap { $0.failure(in: evidence) }.first
    }

    /// Runs the checks; on success marks the exercise solved and says so.
    func checkExercise(in context: CommandContext, announceMiss: Bool) {
        guard let exercise = currentExercise, results[exercise.number] == nil else { return }
        if let failure = exerciseFailure(in: context) {
            attempt.tries += 1
            if announceMiss { context.print(context.style("✗ not yet: \(failure)", .warning)) }
            return
        }
        results[exercise.number] = .solved
        log.append(LogEntry(kind: .exercise(exercise.number, .solved), lines: [], output: []))
        context.print(context.style("✓ exercise \(exercise.number) of \(exerciseCount) solved", .good)
                      + context.style(" — Enter goes on", .dim))
    }

    /// The next hint of the current exercise, and how many there are.
    func nextHint() -> (text: String, number: Int, count: Int)? {
        guard let exercise = currentExercise else { return nil }
        let shown = hintsShown[exercise.number] ?? 0
        let number = min(shown + 1, exercise.hints.count)
        hintsShown[exercise.number] = number
        return (exercise.hints[number - 1], number, exercise.hints.count)
    }

    /// Runs the current exercise's answer as the learner would, and marks it skipped (unless
    /// it was solved before). Returns false when a line of the answer failed.
    func skip(in context: CommandContext) -> Bool {
        guard let exercise = currentExercise, let session = context.session else { return false }
        if results[exercise.number] == nil {
            results[exercise.number] = .skipped
            log.append(LogEntry(kind: .exercise(exercise.number, .skipped), lines: exercise.answer, output: []))
        }
        var succeeded = true
        for line in exercise.answer {
            if case .failed? = session.executeEchoed(line) { succeeded = false }
        }
        return succeeded
    }

    /// For `slimlab lesson check`: runs each `wrong:` example of the current exercise (undoing
    /// it afterwards) and requires the checks to fail, then runs the answer and requires them
    /// to pass. The answer's work stays, as after `skip`. Returns what is wrong.
    func verifyExercise(in context: CommandContext) -> [String] {
        guard let exercise = currentExercise, let session = context.session else { return [] }
        let label = "exercise \(exercise.number) (line \(exercise.line))"
        var problems: [String] = []
        for wrong in exercise.wrong {
            let saved = WorkspaceState(of: context)
            attempt = Attempt()
            results[exercise.number] = nil
            _ = session.transcript(of: [wrong], keepGoing: true)
            if exerciseFailure(in: context) == nil {
                problems.append("\(label): the wrong example `\(wrong)` passes the checks")
            }
            saved.install(in: context)
        }
        attempt = Attempt()
        results[exercise.number] = nil
        let transcript = session.transcript(of: exercise.answer, keepGoing: false)
        if let failed = transcript.entries.first(where: { $0.error != nil }) {
            problems.append("\(label): the answer `\(failed.line)` fails: \(failed.error ?? "")")
        } else if let failure = exerciseFailure(in: context) {
            problems.append("\(label): the answer does not pass the checks (\(failure))")
        }
        results[exercise.number] = .skipped
        return problems
    }

    /// Leaves a finished exercise for the next step.
    func leaveExercise() {
        advance()
        attempt = Attempt()
    }

    /// Whether the exercise at the current step is solved or skipped.
    var currentExerciseIsDone: Bool {
        guard let exercise = currentExercise else { return false }
        return results[exercise.number] != nil
    }

    // MARK: Progress

    /// Where the learner stands, as the progress file keeps it.
    var progressEntry: LessonProgress.Entry {
        LessonProgress.Entry(steps: position, finished: isFinished,
                             solved: Set(results.filter { $0.value == .solved }.keys))
    }

    /// Takes over what the progress file says was solved before.
    func restore(_ entry: LessonProgress.Entry) {
        for number in entry.solved where results[number] == nil { results[number] = .solved }
    }

    /// Saves where the learner stands; progress is a convenience, so failures are ignored.
    func saveProgress() {
        var progress = LessonProgress.load().progress
        var entry = progressEntry
        if let earlier = progress.entries[lesson.slug] {
            entry.solved.formUnion(earlier.solved)
            entry.finished = entry.finished || earlier.finished
        }
        progress.entries[lesson.slug] = entry
        try? progress.save()
    }
}

/// A learner's command the open lesson refuses.
enum LessonGuardError: Error, CustomStringConvertible {
    case reserved(String, cell: Int)
    case lessonModel(String)

    var description: String {
        switch self {
        case let .reserved(name, cell):
            "'\(name)' is the name cell \(cell) of the lesson will give its model; choose another name for yours"
        case let .lessonModel(name):
            "\(name) belongs to the lesson, whose later cells use it; use it as a source, or `model copy \(name) my-\(name)` for a copy of your own"
        }
    }
}

/// Commands that steer the lesson (`next`, `hint`, `lesson …`): they are neither checked
/// nor counted as the learner's own commands.
protocol LessonControlCommand: REPLCommand {}
