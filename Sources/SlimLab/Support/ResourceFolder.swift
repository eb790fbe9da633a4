import Foundation

/// Finds a folder shipped with SlimLab (`Lessons`, `Datasets`) wherever SlimLab runs from: its
/// build directory, the tests, an install under a prefix, a copied binary, or through `PATH`.
///
/// The search order (the first folder that exists wins; an error lists every place tried):
/// 1. the folder named by the kind's own environment variable (`SLIMLAB_LESSONS`);
/// 2. beside the running executable — found through `/proc/self/exe`, so it also holds when
///    the binary is started through `PATH` or a symbolic link — and beside each folder above
///    it (a checkout's `.build/release/slimlab` finds the checkout's `Lessons/`);
/// 3. `PREFIX/share/slimlab/NAME`, where `make install PREFIX=…` puts them (the binary is in
///    `PREFIX/bin`);
/// 4. `$SLIMLAB_HOME/NAME`;
/// 5. `NAME` in the current directory.
public enum ResourceFolder {
    /// The folder named `name`, or an error listing every place that was tried.
    public static func locate(_ name: String, environmentVariable: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              executablePath: String? = DatasetCatalog.currentExecutablePath(),
                              currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> URL {
        let candidates = searchOrder(name, environmentVariable: environmentVariable, environment: environment,
                                     executablePath: executablePath, currentDirectory: currentDirectory)
        for candidate in candidates where isDirectory(atPath: candidate.path) { return candidate.url }
        let tried = candidates.map { candidate in candidate.note.map { "\(candidate.path) (\($0))" } ?? candidate.path }
        throw ResourceFolderError(name: name, environmentVariable: environmentVariable, tried: tried)
    }

    /// The places `locate` tries, in order.
    static func searchOrder(_ name: String, environmentVariable: String, environment: [String: String],
                            executablePath: String?, currentDirectory: String) -> [(url: URL, path: String, note: String?)] {
        var result: [(url: URL, path: String, note: String?)] = []
        func add(_ url: URL, _ note: String? = nil) {
            let url = url.standardizedFileURL
            if !result.contains(where: { $0.path == url.path }) { result.append((url, url.path, note)) }
        }
        if let path = environment[environmentVariable], !path.isEmpty {
            add(URL(fileURLWithPath: path), "from \(environmentVariable)")
        }
        if let executablePath {
            let binaryFolder = URL(fileURLWithPath: executablePath).deletingLastPathComponent().standardizedFileURL
            var folder = binaryFolder
            for _ in 0..<8 {
                add(folder.appendingPathComponent(name))
                let parent = folder.deletingLastPathComponent().standardizedFileURL
                if parent.path == folder.path { break }
                folder = parent
            }
            add(binaryFolder.deletingLastPathComponent().appendingPathComponent("share/slimlab").appendingPathComponent(name))
        }
        if let home = environment["SLIMLAB_HOME"], !home.isEmpty {
            add(URL(fileURLWithPath: home).appendingPathComponent(name), "from SLIMLAB_HOME")
        }
        add(URL(fileURLWithPath: currentDirectory).appendingPathComponent(name))
        return result
    }
}

/// A shipped folder could not be found.
public struct ResourceFolderError: Error, CustomStringConvertible {
    public var name: String
    public var environmentVariable: String
    public var tried: [String]

    public var description: String {
        "cannot find the \(name) folder; set \(environmentVariable) (or SLIMLAB_HOME) to where it is. Looked in:\n"
            + tried.map { "  \($0)" }.joined(separator: "\n")
    }
}
