import Foundation
import SlimKernels
import SlimLab

/// `slimlab lesson check [FILES…]` and `slimlab lesson bless [FILES…]`, from the shell: replay
/// lessons in fresh script-mode sessions and compare (or record) each cell's output, and
/// verify every exercise (its answer passes its checks, its wrong examples do not).
/// `--interleave` replays with a curious learner's commands between the steps.
public enum LessonTool {
    /// A replayed lesson: what its cells printed, how that differs from the recording, and
    /// what is wrong with its exercises.
    public struct Replay {
        public var lesson: Lesson
        public var file: URL
        public var outputs: [[String]]
        public var differences: [CellDifference]
        /// Exercises whose answer fails its checks or whose wrong example passes them.
        public var exerciseProblems: [String]
        /// How many exercises were verified (answer passes, every wrong example fails).
        public var exercisesVerified: Int
    }

    /// Replays one lesson file in a fresh session with the lesson's seed and `threads`
    /// kernel threads (all cores when nil), through the lesson player as a learner meets it.
    /// At each exercise the `wrong:` examples must fail the checks and the answer must pass
    /// them; the answer then stays, as after `skip`.
    ///
    /// With `interleaving`, before every step a curious learner's commands run too (other
    /// settings, `model use` of an earlier model, copies, a reserved name, a model of their
    /// own); the cells must print exactly what they print without them.
    public static func replay(_ file: URL, threads: Int? = nil, interleaving: Bool = false) throws -> Replay {
        let lesson = try LessonLibrary.load(file)
        let workspace = Workspace(threads: threads ?? ComputePool.availableCores, seed: lesson.settings.seed)
        let session = Session.scripted(workspace: workspace)
        let context = session.context
        let player = LessonPlayer(lesson: lesson, file: file, context: context)
        context.lesson = player
        var outputs: [[String]] = []
        var problems: [String] = []
        var verified = 0
        for (index, step) in lesson.steps.enumerated() {
            if interleaving { _ = session.transcript(of: curiousLearner(at: index, player: player, context: context)) }
            switch step {
            case let .cell(cell):
                outputs.append(player.run(cell, in: context, live: false).output)
            case .exercise:
                if interleaving {
                    _ = player.skip(in: context)
                } else {
                    let found = player.verifyExercise(in: context)
                    problems += found.map { "\(displayPath(file)): \($0)" }
                    if found.isEmpty { verified += 1 }
                }
            }
            player.advance()
        }
        let differences = LessonReplay.differences(lesson, file: displayPath(file), replayed: outputs)
        return Replay(lesson: lesson, file: file, outputs: outputs, differences: differences,
                      exerciseProblems: problems, exercisesVerified: verified)
    }

    /// What a curious learner types before step `index`: other settings, the first model made
    /// so far made current and copied, a name a later cell needs, and a pruned model of their own.
    static func curiousLearner(at index: Int, player: LessonPlayer, context: CommandContext) -> [String] {
        var lines = ["set precision=\(index % 3 + 1) seed=\(index + 5)", "set color=on pause=on"]
        let lessonModels = context.workspace.variants.names
        if let first = lessonModels.first {
            lines += ["model use \(first)", "model copy \(first) learner-\(index)"]
            if let reserved = player.reservedNames().keys.sorted().first {
                lines.append("model copy \(first) \(reserved)")
            }
            if index % 4 == 1, context.workspace.data != nil {
                lines.append("prune magnitude sparsity=0.3 from=\(first) as=learner-p\(index) detail=brief")
            }
            lines.append("model baseline learner-\(index)")
        }
        return lines
    }

    /// Runs `lesson check|bless [--threads N] [FILES…]` and returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        var words = arguments
        guard let action = words.first, action == "check" || action == "bless" else {
            StandardStream.error.write("usage: slimlab lesson check|bless [--threads N] [--interleave] [FILES…]\n")
            return 2
        }
        words.removeFirst()
        var threads: Int?
        let interleaving = words.contains("--interleave")
        words.removeAll { $0 == "--interleave" }
        if let index = words.firstIndex(of: "--threads") {
            guard index + 1 < words.count, let n = Int(words[index + 1]), (1...256).contains(n) else {
                StandardStream.error.write("slimlab lesson: --threads needs a whole number from 1 to 256\n")
                return 2
            }
            threads = n
            words.removeSubrange(index...(index + 1))
        }
        let files: [URL]
        do {
            files = words.isEmpty ? try LessonLibrary.shipped().files() : words.map { URL(fileURLWithPath: $0) }
        } catch {
            StandardStream.error.write("slimlab lesson: \(error)\n")
            return 2
        }
        if files.isEmpty {
            StandardStream.error.write("slimlab lesson: no lessons found\n")
            return 2
        }
        return action == "check" ? check(files, threads: threads, interleaving: interleaving) : bless(files, threads: threads)
    }

    private static func check(_ files: [URL], threads: Int?, interleaving: Bool) -> Int32 {
        var cells = 0, differing = 0, exercises = 0, verified = 0, badExercises = 0, failed = false
        for file in files {
            do {
                let replay = try replay(file, threads: threads, interleaving: interleaving)
                let cellCount = replay.lesson.cells.count, exerciseCount = replay.lesson.exercises.count
                cells += cellCount
                exercises += exerciseCount
                differing += replay.differences.count
                verified += replay.exercisesVerified
                badExercises += replay.exerciseProblems.count
                for difference in replay.differences { StandardStream.output.write(difference.report + "\n") }
                for problem in replay.exerciseProblems { StandardStream.output.write(problem + "\n") }
                let exercisePart = interleaving ? "" : ", \(replay.exercisesVerified) of \(exerciseCount) exercises verified"
                if replay.differences.isEmpty && replay.exerciseProblems.isEmpty {
                    StandardStream.output.write("✓ \(displayPath(file)): \(cellCount) cells match\(exercisePart)\n")
                } else {
                    StandardStream.output.write("✗ \(displayPath(file)): \(replay.differences.count) of \(cellCount) cells differ\(exercisePart)\n")
                }
            } catch {
                failed = true
                StandardStream.output.write("✗ \(error)\n")
            }
        }
        let exerciseSummary = interleaving ? " (interleaved with a learner's commands)" : ", \(verified) of \(exercises) exercises verified"
        StandardStream.output.write("lesson check: \(files.count) lessons, \(cells) cells, \(differing) differing\(exerciseSummary)\n")
        if differing == 0 && !failed && badExercises == 0 && !interleaving {
            StandardStream.output.write("\(cells) cells, \(verified) exercises verified\n")
        }
        return differing == 0 && !failed && badExercises == 0 ? 0 : 1
    }

    private static func bless(_ files: [URL], threads: Int?) -> Int32 {
        var status: Int32 = 0
        for file in files {
            do {
                let replay = try replay(file, threads: threads)
                let text = LessonBlesser.blessed(replay.lesson, outputs: replay.outputs)
                try AtomicFile.write(text, to: file)
                let changed = replay.differences.count
                StandardStream.output.write("blessed \(displayPath(file)): \(changed == 0 ? "unchanged" : "\(changed) of \(replay.lesson.cells.count) cells recorded anew")\n")
            } catch {
                status = 1
                StandardStream.output.write("✗ \(error)\n")
            }
        }
        return status
    }

    /// The path relative to the current directory when inside it, for short messages.
    static func displayPath(_ url: URL) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }
}
