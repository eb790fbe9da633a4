#if canImport(Glibc)
import Glibc
#endif

/// Tab completion computed from the command types: command words, sub-commands, option
/// keys, fixed values, names the session knows, and paths where a path is expected.
public struct Completer {
    public let registry: CommandRegistry
    /// The names of a kind the session knows now (paths are listed from the file system).
    public let names: (NameKind) -> [String]
    /// Lists a directory for path completion: `(directory) -> [(name, isDirectory)]`.
    public var listDirectory: (String) -> [(name: String, isDirectory: Bool)] = Completer.systemListing

    public init(registry: CommandRegistry, names: @escaping (NameKind) -> [String]) {
        self.registry = registry
        self.names = names
    }

    /// Full replacements for `word`, the word being completed, given the text of the line
    /// before it; sorted, without duplicates.
    public func candidates(lineBefore: String, word: String) -> [String] {
        let previous = CommandLineTokenizer.wordsLeniently(String(CommandLineTokenizer.lastCommand(of: lineBefore)))
        let results: [String]
        if previous.isEmpty {
            results = registry.commandWords.filter { $0.hasPrefix(word) }
        } else {
            results = candidatesAfterCommand(previous, word: word)
        }
        return Array(Set(results)).sorted()
    }

    private func candidatesAfterCommand(_ previous: [CommandWord], word: String) -> [String] {
        guard previous[0].key == nil, var command = registry.lookup(previous[0].text) else { return [] }
        var rest = previous.dropFirst()
        while !command.configuration.subcommands.isEmpty {
            let subcommands = command.configuration.subcommands
            let runsItself = !(command is any CommandGroup.Type)
            guard let next = rest.first else {
                let words = subcommands.flatMap { [$0.configuration.name] + $0.configuration.aliases }
                    + (runsItself ? command.configuration.options.compactMap(\.key).map { $0 + "=" } : [])
                return words.filter { $0.hasPrefix(word) }
            }
            guard let sub = subcommands.first(where: {
                $0.configuration.name == next.text || $0.configuration.aliases.contains(next.text)
            }) else {
                if runsItself { break }
                return []
            }
            command = sub
            rest = rest.dropFirst()
        }
        let configuration = command.configuration

        if let equals = word.firstIndex(of: "=") {
            let key = String(word[..<equals])
            let partial = String(word[word.index(after: equals)...])
            guard let spec = configuration.option(key) else { return [] }
            return values(of: spec.kind, partial: partial, previousWords: []).map { key + "=" + $0 }
        }

        let used = Set(rest.compactMap(\.key))
        let keys = configuration.options.compactMap(\.key).filter { !used.contains($0) }.map { $0 + "=" }
        var results = keys.filter { $0.hasPrefix(word) }
        let positionalWords = rest.filter { $0.key == nil }.map(\.text)
        let positionals = configuration.positionals
        var slot = 0
        var sameSlotWords: [String] = []
        for text in positionalWords {
            guard slot < positionals.count else { break }
            if case .positional(_, .repeated) = positionals[slot].role {
                sameSlotWords.append(text)
            } else {
                slot += 1
            }
        }
        if slot < positionals.count {
            results += values(of: positionals[slot].kind, partial: word, previousWords: sameSlotWords)
        }
        return results
    }

    /// Values of `kind` that complete `partial`.
    func values(of kind: ValueKind, partial: String, previousWords: [String]) -> [String] {
        switch kind {
        case .choice, .boolean:
            return kind.fixedWords.filter { $0.hasPrefix(partial) }
        case .list(let inner):
            let head = partial.lastIndex(of: ",").map { String(partial[...$0]) } ?? ""
            let last = String(partial.dropFirst(head.count))
            return values(of: inner, partial: last, previousWords: []).map { head + $0 }
        case .name(let kinds):
            return kinds.flatMap { nameCandidates($0, partial: partial, previousWords: previousWords) }
        case .text, .integer, .number, .quantity:
            return []
        }
    }

    private func nameCandidates(_ kind: NameKind, partial: String, previousWords: [String]) -> [String] {
        if kind == .path { return paths(partial) }
        if kind == .command, let first = previousWords.first {
            // `help model <Tab>`: the sub-commands of the command named so far.
            guard var command = registry.lookup(first) else { return [] }
            for word in previousWords.dropFirst() {
                guard let sub = command.configuration.subcommands.first(where: { $0.configuration.name == word }) else {
                    return []
                }
                command = sub
            }
            return command.configuration.subcommands.map { $0.configuration.name }.filter { $0.hasPrefix(partial) }
        }
        return names(kind).filter { $0.hasPrefix(partial) }
    }

    /// Paths completing `partial`: entries of its directory whose names start with its last
    /// component; directories end in `/`; hidden entries only when asked for with a dot.
    func paths(_ partial: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePart = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/"), let home = getenv("HOME") {
            directory = String(cString: home) + directory.dropFirst()
        }
        return listDirectory(directory)
            .filter { $0.name.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .map { directoryPart + $0.name + ($0.isDirectory ? "/" : "") }
    }

    /// The entries of a directory, without `.` and `..`.
    public static func systemListing(_ directory: String) -> [(name: String, isDirectory: Bool)] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                let full = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                isDirectory = stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append((name, isDirectory))
        }
        return entries
    }
}
