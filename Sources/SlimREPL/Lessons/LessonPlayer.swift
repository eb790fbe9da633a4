import Foundation
import SlimLab

/// A lesson open in a live session: which lesson, how many of its cells have run, and the
/// learner's own workspace, set aside while the lesson runs in a fresh one.
final class LessonPlayer {
    let lesson: Lesson
    let file: URL
    /// How many cells have run; the next cell to run is `cells[position]`.
    private(set) var position: Int
    /// The workspace the learner had before opening the lesson.
    let setAside: Workspace?

    init(lesson: Lesson, file: URL, position: Int = 0, setAside: Workspace?) {
        self.lesson = lesson
        self.file = file
        self.position = min(position, lesson.cells.count)
        self.setAside = setAside
    }

    var cellCount: Int { lesson.cells.count }
    var isFinished: Bool { position >= cellCount }
    var nextCell: LessonCell? { isFinished ? nil : lesson.cells[position] }

    /// Marks the next cell as run.
    func advance() { position = min(position + 1, cellCount) }

    /// `Lesson 01 · A first baseline`
    var heading: String { "Lesson \(String(format: "%02d", lesson.number)) · \(lesson.title)" }

    /// Saves where the learner stands; progress is a convenience, so failures are ignored.
    func saveProgress() {
        var progress = LessonProgress.load()
        if isFinished {
            progress.finished.insert(lesson.slug)
            progress.position[lesson.slug] = nil
        } else {
            progress.position[lesson.slug] = position
        }
        try? progress.save()
    }
}

extension CommandContext {
    /// Prints the prose before the next cell (or the closing prose) and the next cell's
    /// commands, so the learner sees what `next` will run.
    func showLessonStop(_ player: LessonPlayer) {
        let prose = player.lesson.prose(before: player.position)
        if !prose.isEmpty {
            print()
            print(lines: LessonProse.render(prose, width: min(width, 100), style: style))
        }
        print()
        if let cell = player.nextCell {
            print(style("── cell \(cell.number)/\(player.cellCount) ", .dim) + style("(Enter or `next` runs it)", .dim))
            for command in cell.commands {
                print("  " + style(command, .accent))
            }
        } else {
            print(style("✓ \(player.heading): finished.", .good) + " `lesson close` returns to your own workspace; `lesson list` shows the others.")
        }
    }

    /// The workspace a lesson starts from: empty, with the lesson's seed and this session's threads.
    func freshLessonWorkspace(seed: UInt64) -> Workspace {
        Workspace(threads: workspace.pool.threadCount, seed: seed, stop: workspace.stop)
    }

    /// Whether the learner has anything in the workspace worth setting aside.
    var workspaceHoldsWork: Bool {
        workspace.data != nil || !workspace.variants.names.isEmpty
    }
}
