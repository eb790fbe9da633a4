import Foundation

/// `lesson open NAME|NUMBER`: start a lesson in a fresh workspace (or resume where you were).
struct LessonOpenCommand: LessonControlCommand {
    static let name = Positional<String>("LESSON", kind: .name([.lesson]), summary: "a lesson's number, name or a word of its title")
    static let resume = Option<Bool>("resume", default: true,
                                     summary: "continue where you stopped last time (the cells before run again, quietly)")
    static let configuration = CommandConfiguration(
        name: "open", summary: "open a lesson and show its first cell", arguments: [name, resume],
        examples: ["lesson open 1", "lesson open tour", "lesson open baseline", "lesson open 02 resume=off"])

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

        // Keep the learner's own work and settings aside while the lesson runs; a lesson
        // already open gives back what it had set aside, so closing always restores the
        // learner's own, even an empty workspace.
        let previous = context.lesson
        let player = LessonPlayer(lesson: lesson, file: file, context: context, setAside: previous?.setAside)
        context.lesson = player
        let own = player.setAside.workspace
        let holdsWork = own.data != nil || !own.variants.names.isEmpty

        var counts = "\(lesson.duration), \(lesson.cells.count) cells"
        if !lesson.exercises.isEmpty { counts += ", \(lesson.exercises.count) exercises" }
        context.print(context.style(player.heading, .heading) + context.style("  (\(counts))", .dim))
        if holdsWork {
            context.print(context.style("Your own models are set aside; `lesson close` brings them back.", .dim))
        }
        let saved = context.loadProgress().entries[lesson.slug]
        if let saved { player.restore(saved) }
        if resume, let saved, !saved.finished, saved.steps > 0, saved.steps < player.steps.count {
            context.print(context.style("Resuming after step \(saved.steps): running the cells before it again quietly…", .dim))
            if let failure = player.catchUp(to: saved.steps, in: context) {
                throw LessonCommandError.cellFailed(failure.cell, failure.error)
            }
        }
        context.showLessonStop(player)
    }
}
