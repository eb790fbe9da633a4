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
    /// without the number (`baseline`) and numbers (`1`). Empty when no Lessons folder is found.
    public static func completionNames() -> [String] {
        guard let library = try? shipped() else { return [] }
        let slugs = library.slugs()
        return slugs + slugs.map { String($0.drop(while: { $0.isNumber || $0 == "-" })) }
            + slugs.compactMap { Int($0.prefix(while: \.isNumber)).map(String.init) }
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
    /// (`01-baseline`), a slug without its number (`baseline`), or a unique prefix of one.
    public func resolve(_ name: String) throws -> URL {
        let files = files()
        let slugs = files.map { $0.deletingPathExtension().lastPathComponent }
        if let number = Int(name), let index = slugs.firstIndex(where: { Int($0.prefix(while: \.isNumber)) == number }) {
            return files[index]
        }
        let wanted = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        if let index = slugs.firstIndex(of: wanted) { return files[index] }
        let bare = slugs.map { String($0.drop(while: { $0.isNumber || $0 == "-" })) }
        if let index = bare.firstIndex(of: wanted) { return files[index] }
        let prefixed = slugs.indices.filter { slugs[$0].hasPrefix(wanted) || bare[$0].hasPrefix(wanted) }
        if prefixed.count == 1 { return files[prefixed[0]] }
        throw LessonLookupError(name: name, available: slugs)
    }
}

/// No lesson matches what the learner typed.
public struct LessonLookupError: Error, CustomStringConvertible {
    public var name: String
    public var available: [String]
    public var description: String {
        "no lesson '\(name)'; the lessons are: \(available.joined(separator: ", "))"
    }
}
