import Foundation
import SlimKernels
import SlimLab

/// `slimlab lesson check [FILES…]` and `slimlab lesson bless [FILES…]`, from the shell: replay
/// lessons in fresh script-mode sessions and compare (or record) each cell's output.
public enum LessonTool {
    /// A replayed lesson: what its cells printed, and how that differs from the recording.
    public struct Replay {
        public var lesson: Lesson
        public var file: URL
        public var outputs: [[String]]
        public var differences: [CellDifference]
    }

    /// Replays one lesson file in a fresh session with the lesson's seed and `threads`
    /// kernel threads (all cores when nil).
    public static func replay(_ file: URL, threads: Int? = nil) throws -> Replay {
        let lesson = try LessonLibrary.load(file)
        let workspace = Workspace(threads: threads ?? ComputePool.availableCores, seed: lesson.settings.seed)
        let runner = SessionCellRunner(session: Session.scripted(workspace: workspace))
        let outputs = LessonReplay.outputs(of: lesson, runner: runner)
        let differences = LessonReplay.differences(lesson, file: displayPath(file), replayed: outputs)
        return Replay(lesson: lesson, file: file, outputs: outputs, differences: differences)
    }

    /// Runs `lesson check|bless [--threads N] [FILES…]` and returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        var words = arguments
        guard let action = words.first, action == "check" || action == "bless" else {
            StandardStream.error.write("usage: slimlab lesson check|bless [--threads N] [FILES…]\n")
            return 2
        }
        words.removeFirst()
        var threads: Int?
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
        return action == "check" ? check(files, threads: threads) : bless(files, threads: threads)
    }

    private static func check(_ files: [URL], threads: Int?) -> Int32 {
        var cells = 0, differing = 0, failed = false
        for file in files {
            do {
                let replay = try replay(file, threads: threads)
                cells += replay.lesson.cells.count
                differing += replay.differences.count
                if replay.differences.isEmpty {
                    StandardStream.output.write("✓ \(displayPath(file)): \(replay.lesson.cells.count) cells match\n")
                } else {
                    for difference in replay.differences { StandardStream.output.write(difference.report + "\n") }
                    StandardStream.output.write("✗ \(displayPath(file)): \(replay.differences.count) of \(replay.lesson.cells.count) cells differ\n")
                }
            } catch {
                failed = true
                StandardStream.output.write("✗ \(error)\n")
            }
        }
        StandardStream.output.write("lesson check: \(files.count) lessons, \(cells) cells, \(differing) differing\n")
        return differing == 0 && !failed ? 0 : 1
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

/// Runs lesson cells in a script-mode session.
final class SessionCellRunner: CellRunner {
    let session: Session
    init(session: Session) { self.session = session }

    func run(cell commands: [String]) -> [String] {
        var lines = session.transcript(of: commands, keepGoing: true).text
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
