import Foundation

/// `lesson list`: every lesson with its duration and how far the learner got.
struct LessonListCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "list", aliases: ["ls"], summary: "list the lessons, with your progress",
        examples: ["lesson list"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let library = try LessonLibrary.shipped()
        let progress = LessonProgress.load()
        var rows: [[String]] = []
        for file in library.files() {
            let lesson = try LessonLibrary.load(file)
            let status: String
            if context.lesson?.lesson.slug == lesson.slug, let player = context.lesson {
                status = player.isFinished ? "open, finished" : "open, cell \(player.position + 1)/\(player.cellCount)"
            } else if progress.finished.contains(lesson.slug) {
                status = "done ✓"
            } else if let cells = progress.position[lesson.slug], cells > 0 {
                status = "\(cells)/\(lesson.cells.count) cells"
            } else {
                status = "—"
            }
            rows.append([String(format: "%02d", lesson.number), lesson.title, lesson.duration, status])
        }
        context.show(Table(["#", "lesson", "duration", "progress"], rows: rows))
        context.print("`lesson open NUMBER` starts one; `next` steps it.")
    }
}
