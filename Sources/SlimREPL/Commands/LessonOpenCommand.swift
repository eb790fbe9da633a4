import Foundation

/// `lesson open NAME|NUMBER`: start a lesson in a fresh workspace (or resume where you were).
struct LessonOpenCommand: REPLCommand {
    static let name = Positional<String>("LESSON", kind: .name([.lesson]), summary: "a lesson's number or name")
    static let resume = Option<Bool>("resume", default: true,
                                     summary: "continue where you stopped last time (the cells before run again, quietly)")
    static let configuration = CommandConfiguration(
        name: "open", summary: "open a lesson and show its first cell", arguments: [name, resume],
        examples: ["lesson open 1", "lesson open baseline", "lesson open 02 resume=off"])

    let name: String
    let resume: Bool
    init(arguments: ParsedArguments) throws {
        name = try arguments.value(Self.name)
        resume = try arguments.value(Self.resume)
    }

    func run(in context: CommandContext) throws {
        let library = try LessonLibrary.shipped()
        let file = try library.resolve(name)
        let lesson = try LessonLibrary.load(file)

        // Keep the learner's own work aside while the lesson runs; a lesson already open gives
        // back the workspace it had set aside.
        let own = context.lesson?.setAside ?? (context.workspaceHoldsWork ? context.workspace : nil)
        context.workspace = context.freshLessonWorkspace(seed: lesson.settings.seed)
        let player = LessonPlayer(lesson: lesson, file: file, setAside: own)
        context.lesson = player

        context.print(context.style(player.heading, .heading) + context.style("  (\(lesson.duration), \(lesson.cells.count) cells)", .dim))
        if own != nil {
            context.print(context.style("Your own models are set aside; `lesson close` brings them back.", .dim))
        }
        let saved = LessonProgress.load().position[lesson.slug] ?? 0
        if resume, saved > 0, saved < lesson.cells.count {
            try context.catchUp(player, to: saved)
        }
        context.showLessonStop(player)
    }
}

extension CommandContext {
    /// Runs the first `count` cells without showing their output, to resume a lesson.
    func catchUp(_ player: LessonPlayer, to count: Int) throws {
        guard let session else { return }
        print(style("Resuming at cell \(count + 1): running cells 1–\(count) again quietly…", .dim))
        // A transcript captures the output, so the catching-up cells print nothing.
        for cell in player.lesson.cells.prefix(count) {
            if session.transcript(of: cell.commands, keepGoing: false).failed {
                throw LessonCommandError.cellFailed(cell.number, "while resuming; try `lesson restart`")
            }
        }
        for _ in 0..<count { player.advance() }
    }
}
