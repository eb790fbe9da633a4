/// Renders a lesson's Markdown prose for the terminal: paragraphs wrapped to the width,
/// headings emphasized, list items with a hanging indent, fenced blocks (formulas, examples)
/// set apart by indentation, `**key terms**` in bold on a terminal and plain in scripts.
public enum LessonProse {
    public static func render(_ markdown: String, width: Int, style: TextStyler) -> [String] {
        var lines: [String] = []
        var paragraph: [String] = []
        var inFence = false

        func flush() {
            guard !paragraph.isEmpty else { return }
            let text = paragraph.joined(separator: " ")
            paragraph = []
            if let (marker, body) = listItem(text) {
                let indent = String(repeating: " ", count: DisplayWidth.of(marker))
                let wrapped = TextWrapping.wrap(body, width: width, indent: indent)
                for (i, line) in wrapped.enumerated() {
                    let shown = i == 0 ? marker + String(line.dropFirst(indent.count)) : line
                    lines.append(emphasize(shown, style))
                }
            } else {
                lines += TextWrapping.wrap(text, width: width).map { emphasize($0, style) }
            }
        }

        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = LessonText.trim(raw)
            if trimmed.hasPrefix("```") {
                flush()
                if !inFence, lines.last.map({ !$0.isEmpty }) ?? false { lines.append("") }
                inFence.toggle()
                if !inFence { lines.append("") }
                continue
            }
            if inFence {
                lines.append("    " + style(raw, .accent))
                continue
            }
            if trimmed.isEmpty {
                flush()
                if lines.last.map({ !$0.isEmpty }) ?? false { lines.append("") }
                continue
            }
            if trimmed.hasPrefix("#") {
                flush()
                let title = LessonText.trim(trimmed.drop(while: { $0 == "#" }))
                lines.append(style(title, .heading))
                continue
            }
            if listItem(trimmed) != nil { flush() }
            paragraph.append(trimmed)
        }
        flush()
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `- item`, `* item` or `1. item`: the marker with its space, and the text.
    private static func listItem(_ text: String) -> (String, String)? {
        if text.hasPrefix("- ") || text.hasPrefix("* ") {
            return ("• ", String(text.dropFirst(2)))
        }
        let digits = text.prefix(while: \.isNumber)
        if !digits.isEmpty, text.dropFirst(digits.count).hasPrefix(". ") {
            return (digits + ". ", String(text.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// `**bold**` shown bold (or plain, without the asterisks).
    static func emphasize(_ line: String, _ style: TextStyler) -> String {
        var result = ""
        var rest = Substring(line)
        while let open = rest.range(of: "**") {
            guard let close = rest[open.upperBound...].range(of: "**") else { break }
            result += rest[..<open.lowerBound]
            result += style(String(rest[open.upperBound..<close.lowerBound]), .bold)
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
