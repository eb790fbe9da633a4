/// Writes `help` and `help CMD` from the command types in a registry.
public struct HelpRenderer {
    public let registry: CommandRegistry
    public var width: Int
    public var style: TextStyler

    public init(registry: CommandRegistry, width: Int = plainOutputWidth, style: TextStyler = .plain) {
        self.registry = registry
        self.width = width
        self.style = style
    }

    /// The first screen of help: each topic with its commands on a line or two (a group's
    /// sub-commands joined by `|`), short enough for a 35-row terminal.
    public func overview() -> String {
        let entries = registry.entries
        let topics = CommandTopic.allCases.filter { topic in entries.contains { $0.topic == topic } }
        let titleWidth = (topics.map { DisplayWidth.of($0.title) }.max() ?? 0) + 3
        var lines = TextWrapping.wrap("Commands by topic: 'help TOPIC' lists a topic's commands, 'help COMMAND' explains one.",
                                      width: max(20, width)) + [""]
        for topic in topics {
            var groups: [(word: String, subs: [String])] = []
            for entry in entries where entry.topic == topic {
                if entry.path.count > 1, let last = groups.last, last.word == entry.path[0], !last.subs.isEmpty {
                    groups[groups.count - 1].subs.append(entry.path.dropFirst().joined(separator: " "))
                } else {
                    groups.append((entry.path[0], entry.path.count > 1 ? [entry.path.dropFirst().joined(separator: " ")] : []))
                }
            }
            let names = groups.map { $0.subs.isEmpty ? $0.word : $0.word + " " + $0.subs.joined(separator: "|") }
            let indent = String(repeating: " ", count: 2 + titleWidth)
            var wrapped = TextWrapping.wrap(names.joined(separator: ", "), width: max(20, width), indent: indent)
            if !wrapped.isEmpty {
                wrapped[0] = "  " + style(DisplayWidth.padRight(topic.title.lowercased(), to: titleWidth), .heading)
                    + String(wrapped[0].dropFirst(indent.count))
            }
            lines += wrapped
        }
        lines += ["", "new here? 'lesson open 0' starts the tour · Tab completes commands and names"]
        return lines.joined(separator: "\n")
    }

    /// The commands of one topic, one line each with their summaries and aliases.
    public func topic(_ topic: CommandTopic) -> String {
        let group = registry.entries.filter { $0.topic == topic }
        let nameWidth = max(12, (group.map { DisplayWidth.of($0.name) }.max() ?? 0) + 2)
        var lines = [style(topic.title, .heading) + " (type 'help COMMAND' for details):", ""]
        for entry in group {
            var summary = entry.configuration.summary
            if !entry.configuration.aliases.isEmpty {
                // An alias is typed where the command's own word is: `model ls`.
                let prefix = entry.path.dropLast().map { $0 + " " }.joined()
                summary += " (also: \(entry.configuration.aliases.map { prefix + $0 }.joined(separator: ", ")))"
            }
            let name = style(DisplayWidth.padRight(entry.name, to: nameWidth), .accent)
            let wrapped = TextWrapping.wrap(summary, width: max(20, width - 2 - nameWidth), hanging: "  ")
            lines.append("  " + name + (wrapped.first ?? ""))
            lines += wrapped.dropFirst().map { String(repeating: " ", count: 2 + nameWidth) + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// Usage, arguments with defaults and allowed values, and examples of the command named
    /// by `words` (`["model", "new"]`); a group lists its sub-commands.
    public func detail(for words: [String]) throws -> String {
        let resolution: CommandRegistry.Resolution
        do {
            resolution = try registry.resolve(words.map { CommandWord(text: $0) })
        } catch CommandError.missingSubcommand(let groupName, _) {
            return try groupDetail(groupName.split(separator: " ").map(String.init))
        }
        let configuration = resolution.command.configuration
        let name = resolution.name
        var lines = [style(name, .heading) + " — " + configuration.summary, ""]
        let usage = configuration.argumentUsage
        lines.append("usage: " + (usage.isEmpty ? name : "\(name) \(usage)"))
        if !configuration.aliases.isEmpty {
            lines.append("also:  " + configuration.aliases.joined(separator: ", "))
        }
        if let discussion = configuration.discussion {
            lines.append("")
            lines += TextWrapping.wrap(discussion, width: min(width, 100))
        }
        if !configuration.arguments.isEmpty {
            lines.append("")
            lines.append(style("arguments:", .heading))
            lines += argumentLines(configuration.positionals + configuration.options)
        }
        if !configuration.subcommands.isEmpty {
            lines.append("")
            lines.append(style("sub-commands:", .heading))
            let subs = configuration.subcommands.map { ("\(name) \($0.configuration.name)", $0.configuration.summary) }
            let nameWidth = (subs.map { DisplayWidth.of($0.0) }.max() ?? 0) + 2
            lines += subs.map { "  " + style(DisplayWidth.padRight($0.0, to: nameWidth), .accent) + $0.1 }
        }
        if !configuration.examples.isEmpty {
            lines.append("")
            lines.append(style("examples:", .heading))
            lines += configuration.examples.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    private func groupDetail(_ path: [String]) throws -> String {
        guard let first = path.first, var command = registry.lookup(first) else {
            throw CommandError.unknownCommand(path.first ?? "", suggestion: nil)
        }
        for word in path.dropFirst() {
            guard let sub = command.configuration.subcommands.first(where: { $0.configuration.name == word }) else { break }
            command = sub
        }
        let name = path.joined(separator: " ")
        let configuration = command.configuration
        var lines = [style(name, .heading) + " — " + configuration.summary, ""]
        lines.append("usage: \(name) \(configuration.argumentUsage)")
        if let discussion = configuration.discussion {
            lines.append("")
            lines += TextWrapping.wrap(discussion, width: min(width, 100))
        }
        lines.append("")
        lines.append(style("sub-commands:", .heading))
        let subs = configuration.subcommands.map { ("\(name) \($0.configuration.name)", $0.configuration.summary) }
        let nameWidth = (subs.map { DisplayWidth.of($0.0) }.max() ?? 0) + 2
        lines += subs.map { "  " + style(DisplayWidth.padRight($0.0, to: nameWidth), .accent) + $0.1 }
        if let example = subs.first {
            lines.append("")
            lines.append("'help \(example.0)' explains one.")
        }
        return lines.joined(separator: "\n")
    }

    private func argumentLines(_ specs: [ArgumentSpec]) -> [String] {
        let labelWidth = min(24, (specs.map { DisplayWidth.of($0.helpLabel) }.max() ?? 0) + 2)
        let indent = String(repeating: " ", count: 2 + labelWidth)
        var lines: [String] = []
        for spec in specs {
            let label = spec.helpLabel
            let summary = spec.summary + (spec.isRequired && spec.key != nil ? " (required)" : "")
            let wrapped = TextWrapping.wrap(summary, width: max(20, width - indent.count))
            if DisplayWidth.of(label) + 2 > labelWidth {
                lines.append("  " + style(label, .accent))
                lines += wrapped.map { indent + $0 }
            } else {
                lines.append("  " + style(DisplayWidth.padRight(label, to: labelWidth), .accent) + (wrapped.first ?? ""))
                lines += wrapped.dropFirst().map { indent + $0 }
            }
            var facts: [String] = []
            if let allowed = spec.allowedDescription { facts.append("allowed: " + allowed) }
            if let value = spec.defaultDescription { facts.append("default: " + value) }
            if !facts.isEmpty { lines.append(indent + style(facts.joined(separator: " · "), .dim)) }
        }
        return lines
    }
}
