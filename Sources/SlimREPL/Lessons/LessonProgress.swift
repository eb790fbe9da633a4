import Foundation
import SlimLab

/// How far a learner got in each lesson, kept in `~/.slimlab/progress` (`SLIMLAB_HOME`
/// relocates the folder), one line per lesson, written atomically:
///
/// ```
/// 01-baseline done solved=1,2
/// 02-magnitude-pruning 5 solved=1
/// ```
///
/// The second word is how many steps (cells and exercises) are done, or `done`; `solved=`
/// lists the exercises solved (not skipped). A file that cannot be read is set aside as
/// `progress.corrupt` and reported, never fatal: progress is a convenience.
public struct LessonProgress: Sendable, Equatable {
    /// One lesson's progress.
    public struct Entry: Sendable, Equatable {
        /// Steps done (the player resumes after them).
        public var steps: Int
        /// Whether the lesson was played to the end once.
        public var finished: Bool
        /// The numbers of the exercises solved.
        public var solved: Set<Int>

        public init(steps: Int = 0, finished: Bool = false, solved: Set<Int> = []) {
            self.steps = steps
            self.finished = finished
            self.solved = solved
        }
    }

    /// By lesson slug (`02-magnitude-pruning`).
    public var entries: [String: Entry] = [:]

    public init(entries: [String: Entry] = [:]) { self.entries = entries }

    /// What reading the file gave: the progress, and what was wrong with the file if anything.
    public struct Loaded: Sendable {
        public var progress: LessonProgress
        /// Set when the file was unreadable and was moved aside.
        public var problem: String?
    }

    /// The file the progress lives in.
    public static var defaultURL: URL {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["SLIMLAB_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? ".").appendingPathComponent(".slimlab")
        return home.appendingPathComponent("progress")
    }

    /// Reads progress; a missing file is no progress. A file that is not progress is moved to
    /// `progress.corrupt` beside it, and `problem` says so.
    public static func load(from url: URL = defaultURL) -> Loaded {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return Loaded(progress: LessonProgress(), problem: nil)
        }
        do throws(ProgressFileError) {
            guard let text = String(data: data, encoding: .utf8) else { throw ProgressFileError(line: 1, problem: "not UTF-8 text") }
            return Loaded(progress: try parse(text), problem: nil)
        } catch {
            let aside = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".corrupt")
            try? FileManager.default.removeItem(at: aside)
            let moved = (try? FileManager.default.moveItem(at: url, to: aside)) != nil
            let problem = "the progress file \(url.path) could not be read (line \(error.line): \(error.problem)); "
                + (moved ? "it was moved to \(aside.lastPathComponent) and progress starts afresh"
                         : "it could not be moved aside, so progress is not kept")
            return Loaded(progress: LessonProgress(), problem: problem)
        }
    }

    /// The progress in a file's text; throws at the first line that is not progress.
    static func parse(_ text: String) throws(ProgressFileError) -> LessonProgress {
        var progress = LessonProgress()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: " ").map(String.init)
            if words.isEmpty { continue }
            guard (2...3).contains(words.count), !words[0].isEmpty else {
                throw ProgressFileError(line: index + 1, problem: "expected 'LESSON STEPS|done [solved=N,…]'")
            }
            var entry = Entry()
            if words[1] == "done" {
                entry.finished = true
            } else if let steps = Int(words[1]), steps >= 0 {
                entry.steps = steps
            } else {
                throw ProgressFileError(line: index + 1, problem: "'\(words[1])' is neither a count of steps nor 'done'")
            }
            if words.count == 3 {
                guard words[2].hasPrefix("solved=") else { throw ProgressFileError(line: index + 1, problem: "expected solved=N,…") }
                let numbers = words[2].dropFirst("solved=".count).split(separator: ",").map { Int($0) }
                guard numbers.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                    throw ProgressFileError(line: index + 1, problem: "solved= needs exercise numbers ≥ 1")
                }
                entry.solved = Set(numbers.compactMap { $0 })
            }
            progress.entries[words[0]] = entry
        }
        return progress
    }

    /// The file's text.
    var text: String {
        entries.keys.sorted().map { slug in
            let entry = entries[slug]!
            var line = "\(slug) \(entry.finished ? "done" : String(entry.steps))"
            if !entry.solved.isEmpty { line += " solved=" + entry.solved.sorted().map(String.init).joined(separator: ",") }
            return line + "\n"
        }.joined()
    }

    /// Writes progress atomically, creating the folder when needed.
    public func save(to url: URL = defaultURL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try AtomicFile.write(text, to: url)
    }
}

/// A line of the progress file that is not progress.
struct ProgressFileError: Error {
    var line: Int
    var problem: String
}

extension CommandContext {
    /// The learner's progress; a corrupt file is reported here (once: it is then set aside).
    func loadProgress() -> LessonProgress {
        let loaded = LessonProgress.load()
        if let problem = loaded.problem { print(style("note: " + problem, .warning)) }
        return loaded.progress
    }
}
