/// A lesson: a Markdown file of prose, cells and exercises. A cell is a fenced block tagged
/// `slimlab` holding commands, followed by a fenced block tagged `output` holding exactly what
/// those commands print in script mode. An exercise is a fenced block tagged `exercise` (see
/// `LessonExercise`): a task the learner does with commands of their own, checked.
public struct Lesson: Sendable, Equatable {
    /// The file name without extension, e.g. `01-baseline`.
    public var slug: String
    /// The number from the file name (`01-baseline.md` → 1).
    public var number: Int
    /// The text of the `# Title` line.
    public var title: String
    /// The duration line's value, e.g. "20 minutes".
    public var duration: String
    /// Options from the opening lines (`seed: 0`, `tolerance: 1e-6`).
    public var settings: LessonSettings
    /// The parts of the lesson in order: prose, then a cell, then prose…
    public var parts: [LessonPart]
    /// The file's lines, kept so that blessing changes output blocks only.
    public var sourceLines: [String]

    public var cells: [LessonCell] {
        parts.compactMap { if case let .cell(cell) = $0 { return cell } else { return nil } }
    }

    /// The exercises in order.
    public var exercises: [LessonExercise] {
        parts.compactMap { if case let .exercise(exercise) = $0 { return exercise } else { return nil } }
    }

    /// What the player steps through: the cells and exercises in order.
    public var steps: [LessonStep] {
        parts.compactMap {
            switch $0 {
            case .prose: nil
            case let .cell(cell): .cell(cell)
            case let .exercise(exercise): .exercise(exercise)
            }
        }
    }

    /// The prose before step `index` (since the previous step), or after the last step when
    /// `index == steps.count`.
    public func prose(beforeStep index: Int) -> String {
        var stepsSeen = 0
        var prose: [String] = []
        for part in parts {
            if case let .prose(text) = part {
                if stepsSeen == index { prose.append(text) }
                continue
            }
            if stepsSeen == index { break }
            stepsSeen += 1
        }
        return prose.joined(separator: "\n")
    }

    /// The prose before cell `index` (since the previous cell), or after the last cell when
    /// `index == cells.count`.
    public func prose(before index: Int) -> String {
        var cellsSeen = 0
        var prose: [String] = []
        for part in parts {
            switch part {
            case let .prose(text):
                if cellsSeen == index { prose.append(text) }
            case .cell:
                if cellsSeen == index { return prose.joined(separator: "\n") }
                cellsSeen += 1
            case .exercise: break
            }
        }
        return prose.joined(separator: "\n")
    }
}

/// The per-lesson options of the opening lines.
public struct LessonSettings: Sendable, Equatable {
    /// The seed the replay session starts with.
    public var seed: UInt64 = 0
    /// When set, numbers in outputs are compared with this relative tolerance, all else exactly.
    public var tolerance: Double? = nil
    /// The digits the lesson's numbers are printed with (`precision:`; 4 by default).
    public var precision: Int = 4

    public init(seed: UInt64 = 0, tolerance: Double? = nil, precision: Int = 4) {
        self.seed = seed
        self.tolerance = tolerance
        self.precision = precision
    }
}

public enum LessonPart: Sendable, Equatable {
    case prose(String)
    case cell(LessonCell)
    case exercise(LessonExercise)
}

/// One stop of the player: a cell it runs, or an exercise the learner does.
public enum LessonStep: Sendable, Equatable {
    case cell(LessonCell)
    case exercise(LessonExercise)
}

/// One runnable cell and its recorded output.
public struct LessonCell: Sendable, Equatable {
    /// The 1-based position of the cell in its lesson.
    public var number: Int
    /// The command lines, comments and blank lines removed.
    public var commands: [String]
    /// The recorded output lines; nil when the cell has no output block yet.
    public var expectedOutput: [String]?
    /// The 1-based file line of the `slimlab` fence.
    public var line: Int
    /// The 0-based range of source lines inside the output fence (empty when the block is
    /// empty), and the index of the line after which a missing block would be inserted.
    public var outputLines: Range<Int>?
    public var insertionLine: Int
}
