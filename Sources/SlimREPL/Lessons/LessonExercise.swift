/// An exercise inside a lesson: a task the learner does with commands of their own, checked
/// after every command they type.
///
/// In the lesson file it is a fenced block tagged `exercise`, one `key: value` line each
/// (a line that starts with spaces continues the one before):
///
/// ````
/// ```exercise
/// task: Prune baseline to 95 % with one global threshold, under a name of your own.
/// check: variant from=baseline sparsity=0.95±0.005 origin~global
/// hint: `scope=global` uses one threshold for all layers.
/// answer: prune magnitude sparsity=0.95 scope=global from=baseline as=p95 detail=brief
/// wrong: prune magnitude sparsity=0.95 from=baseline as=p95 detail=brief
/// ```
/// ````
///
/// - `task:` what to do (required).
/// - `check:` one condition; all must hold (at least one). See `ExerciseCheck` for the kinds.
/// - `hint:` shown one at a time by `hint` (at least one).
/// - `answer:` a command line of the canonical answer, which `answer` shows and `skip` runs
///   (at least one; several run in order).
/// - `wrong:` a command line that must not pass the checks (at least one; `;` joins commands);
///   `slimlab lesson check` runs each one and requires the checks to fail.
/// - `skip: off` makes `skip` refuse (graded use).
///
/// What the learner makes is theirs: the lesson's cells never see it, so a lesson goes on the
/// same however an exercise was solved (or skipped).
public struct LessonExercise: Sendable, Equatable {
    /// The 1-based position of the exercise among the lesson's exercises.
    public var number: Int
    public var task: String
    public var checks: [ExerciseCheck]
    public var hints: [String]
    public var answer: [String]
    public var wrong: [String]
    public var skipAllowed: Bool
    /// The 1-based file line of the `exercise` fence.
    public var line: Int

    /// Reads the block's lines (between the fences); `line` is the fence's file line.
    static func parse(_ lines: [String], number: Int, line: Int, file: String) throws(LessonError) -> LessonExercise {
        var entries: [(key: String, value: String, line: Int)] = []
        for (offset, text) in lines.enumerated() {
            let fileLine = line + 1 + offset
            if LessonText.trim(text).isEmpty { continue }
            if text.first == " " || text.first == "\t" {
                guard !entries.isEmpty else {
                    throw LessonError(file: file, line: fileLine, problem: "exercise \(number): a continuation line needs a 'key:' line before it")
                }
                entries[entries.count - 1].value += " " + LessonText.trim(text)
                continue
            }
            guard let colon = text.firstIndex(of: ":") else {
                throw LessonError(file: file, line: fileLine, problem: "exercise \(number): expected 'key: value' (task, check, hint, answer, wrong, skip), got '\(text)'")
            }
            entries.append((LessonText.trim(text[..<colon]).lowercased(), LessonText.trim(text[text.index(after: colon)...]), fileLine))
        }
        var exercise = LessonExercise(number: number, task: "", checks: [], hints: [], answer: [], wrong: [],
                                      skipAllowed: true, line: line)
        for entry in entries {
            switch entry.key {
            case "task": exercise.task = exercise.task.isEmpty ? entry.value : exercise.task + " " + entry.value
            case "check":
                do { exercise.checks.append(try ExerciseCheck(parsing: entry.value)) } catch {
                    throw LessonError(file: file, line: entry.line, problem: "exercise \(number): \(error.description)")
                }
            case "hint": exercise.hints.append(entry.value)
            case "answer": exercise.answer.append(entry.value)
            case "wrong": exercise.wrong.append(entry.value)
            case "skip":
                guard let allowed = Bool(argument: entry.value) else {
                    throw LessonError(file: file, line: entry.line, problem: "exercise \(number): skip must be on or off, got '\(entry.value)'")
                }
                exercise.skipAllowed = allowed
            default:
                throw LessonError(file: file, line: entry.line, problem: "exercise \(number): unknown key '\(entry.key)'; the keys are task, check, hint, answer, wrong, skip")
            }
        }
        for (key, empty) in [("task", exercise.task.isEmpty), ("check", exercise.checks.isEmpty),
                             ("hint", exercise.hints.isEmpty), ("answer", exercise.answer.isEmpty),
                             ("wrong", exercise.wrong.isEmpty)] where empty {
            throw LessonError(file: file, line: line, problem: "exercise \(number) needs at least one '\(key):' line")
        }
        return exercise
    }
}
