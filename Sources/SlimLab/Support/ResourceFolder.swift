import Foundation

/// Finds a folder shipped with SlimLab (`Lessons`, `Datasets`) whether SlimLab runs from its
/// build directory, from tests, or from elsewhere: an environment variable first, then the
/// folders above the running executable (the package root holds `.build/…/slimlab`), then the
/// current directory.
public enum ResourceFolder {
    /// The folder named `name`, or an error listing every place that was tried.
    public static func locate(_ name: String, environmentVariable: String) throws -> URL {
        var tried: [String] = []
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[environmentVariable], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            if isDirectory(url) { return url }
            tried.append("\(path) (from \(environmentVariable))")
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
            .resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent(name)
            if isDirectory(candidate) { return candidate }
            tried.append(candidate.path)
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name)
        if isDirectory(current) { return current }
        tried.append(current.path)
        throw ResourceFolderError(name: name, environmentVariable: environmentVariable, tried: tried)
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}

/// A shipped folder could not be found.
public struct ResourceFolderError: Error, CustomStringConvertible {
    public var name: String
    public var environmentVariable: String
    public var tried: [String]

    public var description: String {
        "cannot find the \(name) folder; set \(environmentVariable) to its path. Looked in:\n"
            + tried.map { "  \($0)" }.joined(separator: "\n")
    }
}
