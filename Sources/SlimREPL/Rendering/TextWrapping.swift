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
            let words = paragraph.split(separator: " ")
            if words.isEmpty {
                lines.append("")
                continue
            }
            var prefix = indent
            var current = "", currentWidth = 0
            func available() -> Int { max(1, width - DisplayWidth.of(prefix)) }
            func emit() {
                lines.append(prefix + current)
                prefix = indent + hanging
                current = ""
                currentWidth = 0
            }
            for whole in words {
                // Widths are kept, never measured again: a word of a million characters is cut
                // in one pass (measuring what is left after every cut made it quadratic).
                var word = whole
                var wordWidth = DisplayWidth.of(String(word))
                if !current.isEmpty, currentWidth + 1 + wordWidth > available() { emit() }
                // A word wider than a whole line is cut to fill lines.
                while current.isEmpty, wordWidth > available() {
                    let (head, tail, headWidth) = split(word, at: available())
                    current = String(head)
                    emit()
                    word = tail
                    wordWidth -= headWidth
                }
                current = current.isEmpty ? String(word) : current + " " + word
                currentWidth += (currentWidth == 0 ? 0 : 1) + wordWidth
            }
            if !current.isEmpty { emit() }
        }
        return lines
    }

    /// One line broken to fit `width`, keeping its own spacing (aligned columns, double
    /// spaces) up to each break: it breaks at the last space that fits, or inside a word
    /// that fills a whole line; every continuation is indented like the line plus `hanging`.
    /// One pass over the line, however long.
    public static func breakLine(_ line: String, width: Int, hanging: String = "  ") -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        let indent = String(line.prefix(while: { $0 == " " })) + hanging
        let indentWidth = DisplayWidth.of(indent)
        let characters = Array(line)
        // Each character's columns (escape sequences take none), and the sums before each.
        var columns = [Int](repeating: 0, count: characters.count)
        var inEscape = false
        for (index, character) in characters.enumerated() {
            if character == "\u{1B}" { inEscape = true }
            if inEscape {
                if let scalar = character.unicodeScalars.first, (0x40...0x7E).contains(scalar.value), character != "[" {
                    inEscape = false
                }
            } else {
                columns[index] = DisplayWidth.of(character)
            }
        }
        var before = [0]
        before.reserveCapacity(characters.count + 1)
        for width in columns { before.append(before.last! + width) }

        var lines: [String] = []
        var start = 0
        var prefix = "", prefixWidth = 0
        while start < characters.count, prefixWidth + before[characters.count] - before[start] > width {
            let room = max(1, width - prefixWidth)
            // The part that fits: at least one visible character.
            var end = start, used = 0
            while end < characters.count {
                if used + columns[end] > room, used > 0 { break }
                used += columns[end]
                end += 1
            }
            // The last space inside the part that fits, past any leading indentation.
            var leading = start
            while leading < end, characters[leading] == " " { leading += 1 }
            var cut = end
            if let space = characters[leading..<end].lastIndex(of: " ") {
                cut = space
            }
            var last = cut
            while last > start, characters[last - 1] == " " { last -= 1 }
            lines.append(prefix + String(characters[start..<last]))
            start = cut
            while start < characters.count, characters[start] == " " { start += 1 }
            (prefix, prefixWidth) = (indent, indentWidth)
        }
        if start < characters.count { lines.append(prefix + String(characters[start...])) }
        return lines
    }

    /// `text` cut after `columns` visible columns (escape sequences travel with the text), and
    /// the columns of the head.
    static func split(_ text: Substring, at columns: Int) -> (Substring, Substring, Int) {
        var used = 0
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
            index = text.index(after: index)
        }
        return (text[..<index], text[index...], used)
    }
}
