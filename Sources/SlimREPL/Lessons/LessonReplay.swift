import Foundation

/// How one replayed cell differs from its recorded output.
public struct CellDifference: Sendable, Equatable {
    public var file: String
    public var cell: Int
    /// The 1-based file line of the cell's `slimlab` fence.
    public var line: Int
    /// `diff -u` hunks, recorded (−) against replayed (+), with file line numbers.
    public var hunks: [String]
    /// True when the cell had no output block at all.
    public var missingOutput: Bool

    public var report: String {
        if missingOutput {
            return "\(file): cell \(cell) (line \(line)) has no output block; run `slimlab lesson bless` to record it"
        }
        return (["\(file): cell \(cell) (line \(line)): the output differs",
                 "--- recorded", "+++ replayed"] + hunks).joined(separator: "\n")
    }
}

/// Replays lessons and compares (or records) their outputs.
public enum LessonReplay {
    /// The cells whose replayed output differs from the recorded one.
    public static func differences(_ lesson: Lesson, file: String, replayed: [[String]]) -> [CellDifference] {
        let comparison = OutputComparison(tolerance: lesson.settings.tolerance)
        var differences: [CellDifference] = []
        for (cell, output) in zip(lesson.cells, replayed) {
            guard let recorded = cell.expectedOutput, let range = cell.outputLines else {
                differences.append(CellDifference(file: file, cell: cell.number, line: cell.line,
                                                  hunks: [], missingOutput: true))
                continue
            }
            let hunks = UnifiedDiff.hunks(old: recorded, new: output, oldStart: range.lowerBound + 1,
                                          equal: comparison.matches)
            if !hunks.isEmpty {
                differences.append(CellDifference(file: file, cell: cell.number, line: cell.line,
                                                  hunks: hunks, missingOutput: false))
            }
        }
        return differences
    }
}
