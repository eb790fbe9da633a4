/// `lesson list|open|where|restart|close`: notebook-style lessons, stepped cell by cell.
enum LessonCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "lesson", topic: .lessons, summary: "list, open and step through the lessons",
        discussion: """
            A lesson is prose and cells of commands. `lesson open` shows the prose and the first \
            cell; `next` (or Enter on an empty line) runs it and shows what comes next. Between \
            cells you may type any command of your own, then go on with `next`. A lesson runs in \
            a fresh workspace; `lesson close` gives your own back.
            """,
        subcommands: [LessonListCommand.self, LessonOpenCommand.self, LessonWhereCommand.self,
                      LessonRestartCommand.self, LessonCloseCommand.self],
        examples: ["lesson list", "lesson open 1", "next", "lesson close"])
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

    var description: String {
        switch self {
        case .noLessonOpen: "no lesson is open; `lesson list` shows the lessons, `lesson open NAME` opens one"
        case let .cellFailed(cell, message): "cell \(cell) stopped at an error (\(message)); fix it with your own commands, then `next` goes on"
        }
    }
}
