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

    /// Every command grouped by topic, one line each.
    public func overview() -> String {
        let entries = registry.entries
        let nameWidth = max(12, (entries.map { DisplayWidth.of($0.name) }.max() ?? 0) + 2)
        var lines = ["Commands (type 'help COMMAND' for details):"]
        for topic in CommandTopic.allCases {
            let group = entries.filter { $0.topic == topic }
            guard !group.isEmpty else { continue }
            lines.append("")
            lines.append(style(topic.title, .heading))
            for entry in group {
                var summary = entry.configuration.summary
                if !entry.configuration.aliases.isEmpty {
                    summary += " (also: \(entry.configuration.aliases.joined(separator: ", ")))"
                }
                let name = style(DisplayWidth.padRight(entry.name, to: nameWidth), .accent)
                let available = max(20, width - 2 - nameWidth)
                lines.append("  " + name + DisplayWidth.truncate(summary, to: available))
            }
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
            if DisplayWidth.of(label) + 2 > labelWidth {
                lines.append("  " + style(label, .accent))
                lines.append(indent + summary)
            } else {
                lines.append("  " + style(DisplayWidth.padRight(label, to: labelWidth), .accent) + summary)
            }
            var facts: [String] = []
            if let allowed = spec.allowedDescription { facts.append("allowed: " + allowed) }
            if let value = spec.defaultDescription { facts.append("default: " + value) }
            if !facts.isEmpty { lines.append(indent + style(facts.joined(separator: " · "), .dim)) }
        }
        return lines
    }
}
