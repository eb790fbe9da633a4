import Foundation
import SlimLab

/// The lessons in a folder (`Lessons/` by default), found by name or number.
public struct LessonLibrary: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The library of the shipped `Lessons/` folder (`SLIMLAB_LESSONS` relocates it).
    public static func shipped() throws -> LessonLibrary {
        LessonLibrary(folder: try ResourceFolder.locate("Lessons", environmentVariable: "SLIMLAB_LESSONS"))
    }

    /// The lesson files `NN-slug.md`, in order.
    public func files() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".md") && ($0.first?.isNumber ?? false) }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// The slugs (`01-baseline`) of every lesson, for completion and listing.
    public func slugs() -> [String] {
        files().map { $0.deletingPathExtension().lastPathComponent }
    }

    /// What `lesson open` accepts, for completion and checking: slugs (`01-baseline`), names
    /// without the number (`baseline`), numbers (`1`, `01`) and the words of the names
    /// (`pruning`). Empty when no Lessons folder is found.
    public static func completionNames() -> [String] {
        guard let library = try? shipped() else { return [] }
        let slugs = library.slugs()
        let bare = slugs.map(bareName)
        var names = slugs + bare
        names += slugs.map { String($0.prefix(while: \.isNumber)) }
        names += slugs.compactMap { Int($0.prefix(while: \.isNumber)).map(String.init) }
        names += bare.flatMap { $0.split(separator: "-").map(String.init) }.filter { $0.count >= 4 }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// `magnitude-pruning` for `02-magnitude-pruning`.
    static func bareName(_ slug: String) -> String {
        String(slug.drop(while: { $0.isNumber || $0 == "-" }))
    }

    /// Reads and parses one lesson file.
    public static func load(_ url: URL) throws -> Lesson {
        let slug = url.deletingPathExtension().lastPathComponent
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LessonError(file: url.path, line: 0, problem: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonError(file: url.path, line: 0, problem: "the file is not UTF-8 text")
        }
        do {
            return try LessonParser.parse(text, slug: slug)
        } catch {
            throw LessonError(file: url.path, line: error.line, problem: error.problem)
        }
    }

    /// The lesson file a learner means by `name`: a number (`1`, `01`), a slug
    /// (`01-baseline`), a slug without its number (`baseline`), a unique prefix of one, or a
    /// word of one lesson's name or title (`pruning` when only one lesson has it).
    public func resolve(_ name: String) throws -> URL {
        let files = files()
        let slugs = files.map { $0.deletingPathExtension().lastPathComponent }
        if let number = Int(name), let index = slugs.firstIndex(where: { Int($0.prefix(while: \.isNumber)) == number }) {
            return files[index]
        }
        let wanted = (name.hasSuffix(".md") ? String(name.dropLast(3)) : name).lowercased()
        if let index = slugs.firstIndex(of: wanted) { return files[index] }
        let bare = slugs.map(Self.bareName)
        if let index = bare.firstIndex(of: wanted) { return files[index] }
        let prefixed = slugs.indices.filter { slugs[$0].hasPrefix(wanted) || bare[$0].hasPrefix(wanted) }
        if prefixed.count == 1 { return files[prefixed[0]] }
        // A word of the name or the title.
        let titles = files.map { (try? Self.load($0))?.title ?? "" }
        func words(_ text: String) -> [String] {
            text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        }
        let fitting = slugs.indices.filter { words(bare[$0]).contains(wanted) || words(titles[$0]).contains(wanted) }
        if fitting.count == 1 { return files[fitting[0]] }
        let candidates = fitting.isEmpty ? prefixed : fitting
        if !candidates.isEmpty {
            throw LessonLookupError(name: name, available: slugs, matching: candidates.map { slugs[$0] }, suggestion: nil)
        }
        let known = bare + bare.flatMap(words)
        throw LessonLookupError(name: name, available: slugs, matching: [],
                                suggestion: Suggestion.closest(to: wanted, among: known))
    }
}

/// No lesson, or more than one, matches what the learner typed.
public struct LessonLookupError: Error, CustomStringConvertible {
    public var name: String
    public var available: [String]
    /// The lessons the name fits when it fits several.
    public var matching: [String] = []
    public var suggestion: String?

    public var description: String {
        if !matching.isEmpty {
            let numbers = matching.map { String(Int($0.prefix(while: \.isNumber)) ?? 0) }
            return "'\(name)' fits several lessons: \(matching.joined(separator: ", ")); say which, e.g. `lesson open \(numbers[0])`"
        }
        let hint = suggestion.map { " — did you mean '\($0)'?" } ?? ""
        return "no lesson '\(name)'\(hint); the lessons are: \(available.joined(separator: ", "))"
    }
}
