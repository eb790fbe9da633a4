import Foundation

/// `lesson list`: every lesson with its duration and how far the learner got.
struct LessonListCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "list", aliases: ["ls"], summary: "list the lessons, with your progress",
        examples: ["lesson list"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let library = try LessonLibrary.shipped()
        let progress = context.loadProgress()
        var rows: [[String]] = []
        for file in library.files() {
            let lesson = try LessonLibrary.load(file)
            let cells = lesson.cells.count, exercises = lesson.exercises.count
            var entry = progress.entries[lesson.slug] ?? LessonProgress.Entry()
            var cellsDone: Int
            if let player = context.lesson, player.lesson.slug == lesson.slug {
                entry.solved.formUnion(player.progressEntry.solved)
                cellsDone = player.cellsDone
            } else {
                cellsDone = entry.finished ? cells
                    : lesson.steps.prefix(entry.steps).filter { if case .cell = $0 { true } else { false } }.count
            }
            cellsDone = min(cellsDone, cells)
            let status: String
            if context.lesson?.lesson.slug == lesson.slug { status = "open" }
            else if entry.finished { status = "done ✓" }
            else if entry.steps > 0 { status = "started" }
            else { status = "—" }
            rows.append([String(format: "%02d", lesson.number), lesson.title, lesson.duration,
                         "\(cellsDone)/\(cells)", exercises == 0 ? "—" : "\(entry.solved.count)/\(exercises)", status])
        }
        context.show(Table(["#", "lesson", "duration", "cells", "solved", "progress"], rows: rows))
        context.print("`lesson open NUMBER` starts one; `next` steps it; `lesson reset NUMBER` forgets one.")
    }
}
