/// Rewrites a lesson's output blocks with new outputs, leaving every other line — prose,
/// cells, spacing — as it was, so `git diff` shows only what changed.
public enum LessonBlesser {
    /// The lesson's text with cell `i`'s output block replaced by `outputs[i]` (an output
    /// block is inserted after a cell that had none).
    public static func blessed(_ lesson: Lesson, outputs: [[String]]) -> String {
        precondition(outputs.count == lesson.cells.count,
                     "LessonBlesser: \(outputs.count) outputs for \(lesson.cells.count) cells")
        var lines = lesson.sourceLines
        // Work from the last cell backwards so earlier line numbers stay valid.
        for (cell, output) in zip(lesson.cells, outputs).reversed() {
            if let range = cell.outputLines {
                lines.replaceSubrange(range, with: output)
            } else {
                lines.insert(contentsOf: ["", "```output"] + output + ["```"], at: cell.insertionLine + 1)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
