import Foundation
import SlimLab

/// Which lessons a learner finished and where an open one stands, kept in
/// `~/.slimlab/progress` (one line per lesson: `01-baseline done` or `02-magnitude-pruning 3`),
/// written atomically. `SLIMLAB_HOME` relocates the folder.
public struct LessonProgress: Sendable, Equatable {
    /// Lessons finished to the end.
    public var finished: Set<String> = []
    /// For lessons in progress: how many cells were run.
    public var position: [String: Int] = [:]

    public init() {}

    /// The file the progress lives in.
    public static var defaultURL: URL {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["SLIMLAB_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? ".").appendingPathComponent(".slimlab")
        return home.appendingPathComponent("progress")
    }

    /// Reads progress; a missing or unreadable file means no progress, never an error.
    public static func load(from url: URL = defaultURL) -> LessonProgress {
        var progress = LessonProgress()
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(data: data, encoding: .utf8) else { return progress }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2 else { continue }
            let slug = String(words[0])
            if words[1] == "done" {
                progress.finished.insert(slug)
            } else if let cells = Int(words[1]), cells >= 0 {
                progress.position[slug] = cells
            }
        }
        return progress
    }

    /// Writes progress atomically, creating the folder when needed.
    public func save(to url: URL = defaultURL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let slugs = finished.union(position.keys).sorted()
        let lines = slugs.map { slug in finished.contains(slug) ? "\(slug) done" : "\(slug) \(position[slug] ?? 0)" }
        try AtomicFile.write(lines.map { $0 + "\n" }.joined(), to: url)
    }
}
