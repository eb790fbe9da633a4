/// Renders Markdown (the lessons' prose) as terminal lines of at most a given width:
///
/// - headings underlined (`═` under a level-1 title, `─` under the others), so they stand out
///   without colors;
/// - paragraphs wrapped at word boundaries; list items (`-`, `*`, `+`, `1.`) with a hanging
///   indent, nested by their indentation; `> quotes` behind a bar;
/// - tables aligned and fitted to the width (cells wrap rather than being cut);
/// - fenced code and indented blocks (formulas) set apart by four spaces, never re-wrapped
///   unless a line is wider than the width;
/// - inline `code`, `*emphasis*` and `**strong**` styled on a terminal and plain, without the
///   backticks and asterisks, otherwise; `[text](url)` as "text (url)".
public struct MarkdownRenderer: Sendable {
    /// The columns a line may use.
    public var width: Int
    public var style: TextStyler

    public init(width: Int, style: TextStyler = .plain) {
        self.width = max(16, width)
        self.style = style
    }

    /// The lines of `markdown`, without trailing blank lines.
    public func render(_ markdown: String) -> [String] {
        let source = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { Self.detab(String($0)) }
        var output: [String] = []
        var index = 0
        var previousBlank = true
        var inList = false

        func separate() {
            inList = false
            if let last = output.last, !last.isEmpty { output.append("") }
        }

        while index < source.count {
            let line = source[index]
            let trimmed = LessonText.trim(line)
            if trimmed.isEmpty {
                previousBlank = true
                index += 1
                continue
            }
            defer { previousBlank = false }
            if let fence = Self.fenceMarker(trimmed) {
                var end = index + 1
                while end < source.count, !LessonText.trim(source[end]).hasPrefix(fence) { end += 1 }
                separate()
                output += code(Array(source[(index + 1)..<min(end, source.count)]))
                output.append("")
                index = end + 1
                continue
            }
            if previousBlank, Self.indentation(line) >= 4 {
                var end = index
                while end < source.count, Self.indentation(source[end]) >= 4 || LessonText.trim(source[end]).isEmpty { end += 1 }
                while end > index, LessonText.trim(source[end - 1]).isEmpty { end -= 1 }
                separate()
                output += code(source[index..<end].map { String($0.dropFirst(4)) })
                output.append("")
                index = end
                continue
            }
            if let (level, title) = Self.heading(trimmed) {
                separate()
                let text = inline(title)
                let wrapped = TextWrapping.wrap(text, width: width)
                output += wrapped.map { style($0, .heading) }
                let rule = min(width, wrapped.map { DisplayWidth.of($0) }.max() ?? 0)
                output.append(String(repeating: level == 1 ? "═" : "─", count: rule))
                output.append("")
                index += 1
                continue
            }
            if Self.isRule(trimmed) {
                separate()
                output.append(String(repeating: "─", count: min(width, 40)))
                output.append("")
                index += 1
                continue
            }
            if trimmed.hasPrefix("|"), index + 1 < source.count, Self.isTableSeparator(LessonText.trim(source[index + 1])) {
                var end = index + 2
                while end < source.count, LessonText.trim(source[end]).hasPrefix("|") { end += 1 }
                separate()
                output += table(header: trimmed, separator: LessonText.trim(source[index + 1]),
                                rows: source[(index + 2)..<end].map { LessonText.trim($0) })
                output.append("")
                index = end
                continue
            }
            if trimmed.hasPrefix(">") {
                var quoted: [String] = []
                while index < source.count, LessonText.trim(source[index]).hasPrefix(">") {
                    quoted.append(LessonText.trim(LessonText.trim(source[index]).dropFirst()))
                    index += 1
                }
                separate()
                output += TextWrapping.wrap(inline(quoted.joined(separator: " ")), width: width - 2)
                    .map { style("│", .dim) + " " + $0 }
                output.append("")
                continue
            }
            if let item = Self.listItem(line) {
                // The item's own lines: until a blank line, a new item or another block.
                var body = [item.text]
                index += 1
                while index < source.count, !LessonText.trim(source[index]).isEmpty, Self.listItem(source[index]) == nil,
                      !startsBlock(source, at: index) {
                    body.append(LessonText.trim(source[index]))
                    index += 1
                }
                if !inList { separate() }
                inList = true
                let depth = String(repeating: "  ", count: min(4, item.indent / 2))
                let hanging = String(repeating: " ", count: DisplayWidth.of(item.marker))
                var wrapped = TextWrapping.wrap(inline(body.joined(separator: " ")), width: width, indent: depth + hanging)
                if !wrapped.isEmpty {
                    wrapped[0] = depth + item.marker + String(wrapped[0].dropFirst(depth.count + hanging.count))
                }
                output += wrapped
                continue
            }
            // A paragraph: until a blank line or another block.
            var paragraph = [trimmed]
            index += 1
            while index < source.count, !LessonText.trim(source[index]).isEmpty, !startsBlock(source, at: index),
                  Self.listItem(source[index]) == nil {
                paragraph.append(LessonText.trim(source[index]))
                index += 1
            }
            separate()
            output += TextWrapping.wrap(inline(paragraph.joined(separator: " ")), width: width)
        }
        while output.last == "" { output.removeLast() }
        return output
    }

    /// Whether the line at `index` opens a block other than a paragraph.
    private func startsBlock(_ source: [String], at index: Int) -> Bool {
        let trimmed = LessonText.trim(source[index])
        if Self.fenceMarker(trimmed) != nil || Self.heading(trimmed) != nil || trimmed.hasPrefix(">") { return true }
        return trimmed.hasPrefix("|") && index + 1 < source.count && Self.isTableSeparator(LessonText.trim(source[index + 1]))
    }

    /// Code or a formula: four spaces in, as written; a line wider than the width goes on
    /// below, indented two more.
    private func code(_ lines: [String]) -> [String] {
        lines.flatMap { line -> [String] in
            let text = String(line.reversed().drop { $0 == " " }.reversed())
            guard !text.isEmpty else { return [""] }
            return TextWrapping.wrap(text, width: width - 4, hanging: "  ").map { "    " + style($0, .code) }
        }
    }

    private func table(header: String, separator: String, rows: [String]) -> [String] {
        let titles = Self.cells(header)
        let alignments = Self.cells(separator).map { cell -> Table.Alignment? in
            cell.hasSuffix(":") && !cell.hasPrefix(":") ? .right : .left
        }
        let plain = MarkdownRenderer(width: width, style: .plain)
        let columns = titles.enumerated().map { index, title in
            Table.Column(plain.inline(title), alignment: index < alignments.count ? alignments[index] : .left, overflow: .wrap)
        }
        let body = rows.map { Self.cells($0).map { plain.inline($0) } }
        return Table(columns: columns, rows: body).render(width: width, style: style)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: Inline

    /// `text` with inline code, emphasis and links rendered (styled word by word, so that a
    /// line break never leaves a style open).
    public func inline(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        func styled(_ words: String, _ textStyle: TextStyle) -> String {
            words.split(separator: " ", omittingEmptySubsequences: false).map { style(String($0), textStyle) }
                .joined(separator: " ")
        }
        while let first = rest.first {
            if first == "\\", let next = rest.dropFirst().first, "\\`*_[]()#|".contains(next) {
                result.append(next)
                rest = rest.dropFirst(2)
                continue
            }
            if first == "`" {
                let ticks = rest.prefix(while: { $0 == "`" })
                let after = rest.dropFirst(ticks.count)
                if let close = after.range(of: String(ticks)) {
                    let code = after[..<close.lowerBound]
                    result += styled(LessonText.trim(code), .code)
                    rest = after[close.upperBound...]
                    continue
                }
            }
            if rest.hasPrefix("**") || rest.hasPrefix("__"), let close = rest.dropFirst(2).range(of: String(rest.prefix(2))),
               close.lowerBound > rest.index(rest.startIndex, offsetBy: 2) {
                result += styled(inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound])), .bold)
                rest = rest[close.upperBound...]
                continue
            }
            if first == "*" || first == "_", let next = rest.dropFirst().first, next != " ", next != first,
               !(result.last.map { $0.isLetter || $0.isNumber } ?? false),
               let close = Self.closingEmphasis(rest.dropFirst(), marker: first) {
                result += styled(inline(String(rest.dropFirst()[..<close])), .emphasis)
                rest = rest[rest.index(after: close)...]
                continue
            }
            if first == "[", let label = rest.range(of: "]("), let end = rest[label.upperBound...].firstIndex(of: ")") {
                let text = inline(String(rest[rest.index(after: rest.startIndex)..<label.lowerBound]))
                let url = String(rest[label.upperBound..<end])
                result += TextStyler.stripped(text) == url ? url : text + " (" + url + ")"
                rest = rest[rest.index(after: end)...]
                continue
            }
            result.append(first)
            rest = rest.dropFirst()
        }
        return result
    }

    /// Where a single `*` or `_` closes an emphasis: not after a space, and for `_` not
    /// inside a word.
    private static func closingEmphasis(_ text: Substring, marker: Character) -> Substring.Index? {
        var index = text.startIndex
        var previous: Character = " "
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index) < text.endIndex ? text[text.index(after: index)] : " "
            if character == "`" { return nil }
            if character == marker, previous != " ", next != marker,
               marker == "*" || !(next.isLetter || next.isNumber) {
                return index
            }
            previous = character
            index = text.index(after: index)
        }
        return nil
    }

    // MARK: Block recognition

    private static func detab(_ line: String) -> String {
        line.contains("\t") ? line.replacingTabs() : line
    }

    private static func indentation(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }

    private static func fenceMarker(_ trimmed: String) -> String? {
        for marker in ["```", "~~~"] where trimmed.hasPrefix(marker) { return marker }
        return nil
    }

    private static func heading(_ trimmed: String) -> (Int, String)? {
        let hashes = trimmed.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes), trimmed.dropFirst(hashes).first == " " else { return nil }
        var title = LessonText.trim(trimmed.dropFirst(hashes))
        while title.hasSuffix("#") { title = LessonText.trim(title.dropLast()) }
        return (hashes, title)
    }

    private static func isRule(_ trimmed: String) -> Bool {
        let compact = trimmed.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
    }

    private static func isTableSeparator(_ trimmed: String) -> Bool {
        trimmed.hasPrefix("|") && trimmed.contains("-") && trimmed.allSatisfy { "|-: ".contains($0) }
    }

    /// The cells of a table line `| a | b |` (escaped `\|` stays in its cell).
    private static func cells(_ line: String) -> [String] {
        var cells: [String] = [], current = ""
        var escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; current.append(character); continue }
            if character == "|" { cells.append(current); current = ""; continue }
            current.append(character)
        }
        cells.append(current)
        if LessonText.trim(cells.first ?? "").isEmpty { cells.removeFirst() }
        if let last = cells.last, LessonText.trim(last).isEmpty { cells.removeLast() }
        return cells.map { LessonText.trim($0) }
    }

    /// `- item`, `* item`, `+ item` or `1. item`: the indentation, the marker as shown (with
    /// its space) and the text.
    static func listItem(_ line: String) -> (indent: Int, marker: String, text: String)? {
        let indent = indentation(line)
        let text = line.dropFirst(indent)
        if text.hasPrefix("- ") || text.hasPrefix("* ") || text.hasPrefix("+ ") {
            return (indent, "• ", LessonText.trim(text.dropFirst(2)))
        }
        let digits = text.prefix(while: \.isNumber)
        if !digits.isEmpty, digits.count < 4, text.dropFirst(digits.count).hasPrefix(". ") {
            return (indent, digits + ". ", LessonText.trim(text.dropFirst(digits.count + 2)))
        }
        return nil
    }
}

private extension String {
    /// Tabs as spaces to the next multiple of four.
    func replacingTabs() -> String {
        var result = ""
        for character in self {
            if character == "\t" {
                result += String(repeating: " ", count: 4 - result.count % 4)
            } else {
                result.append(character)
            }
        }
        return result
    }
}
