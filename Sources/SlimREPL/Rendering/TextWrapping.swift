/// Breaks prose into lines of at most a given width at spaces, for help discussions, lesson
/// text and the summary lines of commands.
///
/// Widths are measured as a terminal shows them (`DisplayWidth`), so text already styled with
/// ANSI escapes wraps where its visible words end.
public enum TextWrapping {
    /// The words of `text` in lines of at most `width` columns, each prefixed by `indent`, and
    /// every line after a paragraph's first also by `hanging`:
    ///
    /// ```
    /// loaded digits: 1,797 samples of 1×8×8, 10 classes · 1,347 train /
    ///   450 test (stratified, seed 0) · normalize=standard
    /// ```
    ///
    /// Line breaks in `text` are kept (a blank line stays blank). A word longer than a whole
    /// line is cut into pieces that fill lines, so no line is ever wider than `width`.
    public static func wrap(_ text: String, width: Int, indent: String = "", hanging: String = "") -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = paragraph.split(separator: " ").map(String.init)
            if words.isEmpty {
                lines.append("")
                continue
            }
            var prefix = indent
            var current = ""
            func available() -> Int { max(1, width - DisplayWidth.of(prefix)) }
            func emit() {
                lines.append(prefix + current)
                prefix = indent + hanging
                current = ""
            }
            for word in words {
                var word = word
                if !current.isEmpty, DisplayWidth.of(current) + 1 + DisplayWidth.of(word) > available() { emit() }
                // A word wider than a whole line is cut to fill lines.
                while current.isEmpty, DisplayWidth.of(word) > available() {
                    let (head, tail) = split(word, at: available())
                    current = head
                    emit()
                    word = tail
                }
                current = current.isEmpty ? word : current + " " + word
            }
            if !current.isEmpty { emit() }
        }
        return lines
    }

    /// One line broken to fit `width`, keeping its own spacing (aligned columns, double
    /// spaces) up to each break: it breaks at the last space that fits, or inside a word
    /// that fills a whole line; every continuation is indented like the line plus `hanging`.
    public static func breakLine(_ line: String, width: Int, hanging: String = "  ") -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        let indent = String(line.prefix(while: { $0 == " " })) + hanging
        var lines: [String] = []
        var rest = line
        var prefix = ""
        while DisplayWidth.of(prefix + rest) > width {
            let room = max(1, width - DisplayWidth.of(prefix))
            let (head, _) = split(rest, at: room)
            // The last space inside the part that fits, past any leading indentation.
            let leading = head.prefix(while: { $0 == " " }).count
            var cut = head.endIndex
            if let space = head.dropFirst(leading).lastIndex(of: " ") {
                cut = space
            } else if rest.count > head.count, rest[rest.index(rest.startIndex, offsetBy: head.count)] == " " {
                cut = head.endIndex
            }
            let piece = String(head[..<cut])
            lines.append(prefix + String(piece.reversed().drop { $0 == " " }.reversed()))
            rest = String(rest.dropFirst(piece.count).drop { $0 == " " })
            prefix = indent
            if rest.isEmpty { break }
        }
        if !rest.isEmpty { lines.append(prefix + rest) }
        return lines
    }

    /// `text` cut after `columns` visible columns (escape sequences travel with the text).
    static func split(_ text: String, at columns: Int) -> (String, String) {
        var head = "", used = 0
        var index = text.startIndex
        var inEscape = false
        while index < text.endIndex {
            let character = text[index]
            if character == "\u{1B}" { inEscape = true }
            if inEscape {
                if let scalar = character.unicodeScalars.first, (0x40...0x7E).contains(scalar.value), character != "[" {
                    inEscape = false
                }
            } else {
                let w = DisplayWidth.of(character)
                if used + w > columns, used > 0 { break }
                used += w
            }
            head.append(character)
            index = text.index(after: index)
        }
        return (head, String(text[index...]))
    }
}
