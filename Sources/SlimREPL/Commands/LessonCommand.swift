/// `lesson list|open|where|goto|restart|export|reset|close`: notebook-style lessons, stepped
/// cell by cell, with exercises.
enum LessonCommand: CommandGroup, LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "lesson", topic: .lessons, summary: "list, open and step through the lessons",
        discussion: """
            A lesson is prose, cells of commands and exercises. `lesson open` shows the prose and \
            the first cell; `next` (or Enter on an empty line) runs it and shows what comes next. \
            Between cells you may type any command of your own, then go on with `next`: the \
            lesson's cells always run on the lesson's own models and settings, so nothing you \
            try changes what they print. At an exercise the prompt says so; type commands until \
            the check passes (`hint`, `answer`, `skip` help). A lesson runs in a fresh workspace; \
            `lesson close` gives your own back.
            """,
        subcommands: [LessonListCommand.self, LessonOpenCommand.self, LessonWhereCommand.self,
                      LessonGotoCommand.self, LessonRestartCommand.self, LessonExportCommand.self,
                      LessonResetCommand.self, LessonCloseCommand.self],
        examples: ["lesson list", "lesson open 1", "next", "lesson goto 3", "lesson close"])
}

extension CommandContext {
    /// The open lesson, or an error saying how to open one.
    func requireOpenLesson() throws -> LessonPlayer {
        guard let lesson else { throw LessonCommandError.noLessonOpen }
        return lesson
    }
}

/// Lesson commands used out of order.
enum LessonCommandError: Error, CustomStringConvertible {
    case noLessonOpen
    case cellFailed(Int, String)
    case noExercise
    case skipOff(Int)
    case answerFailed(Int)
    case noSuchCell(Int, count: Int)

    var description: String {
        switch self {
        case .noLessonOpen: "no lesson is open; `lesson list` shows the lessons, `lesson open NAME` opens one"
        case let .cellFailed(cell, message): "cell \(cell) stopped at an error (\(message)); `lesson restart` starts over, `lesson goto \(cell)` tries again"
        case .noExercise: "the lesson is not at an exercise; `lesson where` says what comes next"
        case let .skipOff(number): "exercise \(number) cannot be skipped in this lesson (skip: off); `hint` helps"
        case let .answerFailed(number): "the answer of exercise \(number) stopped at an error; `lesson restart` starts over"
        case let .noSuchCell(cell, count): "there is no cell \(cell); this lesson has cells 1 to \(count)"
        }
    }
}
