/// Breaks prose into lines of at most a given width at spaces, for help discussions and
/// lesson text.
public enum TextWrapping {
    /// The words of `text` in lines of at most `width` columns, each prefixed by `indent`.
    /// Line breaks in `text` are kept (a blank line stays blank); a word longer than a
    /// line stands alone.
    public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        let available = max(1, width - DisplayWidth.of(indent))
        var lines: [String] = []
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        for paragraph in paragraphs {
            let words = paragraph.split(separator: " ").map(String.init)
            if words.isEmpty {
                lines.append("")
                continue
            }
            var current = ""
            for word in words {
                if current.isEmpty {
                    current = word
                } else if DisplayWidth.of(current) + 1 + DisplayWidth.of(word) <= available {
                    current += " " + word
                } else {
                    lines.append(indent + current)
                    current = word
                }
            }
            lines.append(indent + current)
        }
        return lines
    }
}
