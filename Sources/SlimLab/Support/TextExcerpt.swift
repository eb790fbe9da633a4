/// Short, printable excerpts of text that came from outside (a file's bytes, a typed line),
/// for error messages: control characters are escaped (`\n`, `\t`, `\u{1B}`), never written
/// raw to the terminal, and anything past the limit is cut with `…`, so an error about a
/// 1 MB line does not echo the line.
public enum TextExcerpt {
    /// At most `limit` characters of `text`, control characters escaped.
    public static func plain(_ text: String, limit: Int = 60) -> String {
        var result = ""
        var count = 0
        for character in text {
            if count >= limit { return result + "…" }
            result += escaped(character)
            count += 1
        }
        return result
    }

    /// `plain` in single quotes.
    public static func quoted(_ text: String, limit: Int = 60) -> String {
        "'" + plain(text, limit: limit) + "'"
    }

    /// The bytes as text (invalid UTF-8 shown as �), excerpted like `plain`.
    public static func bytes<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int = 60) -> String {
        plain(String(decoding: bytes.prefix(limit * 4), as: UTF8.self), limit: limit)
    }

    /// Every line of `message` escaped and cut at `lineLimit` characters; line breaks stay.
    public static func message(_ message: String, lineLimit: Int = 400) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false)
            .map { plain(String($0), limit: lineLimit) }
            .joined(separator: "\n")
    }

    private static func escaped(_ character: Character) -> String {
        guard character.unicodeScalars.contains(where: isControl) else { return String(character) }
        var text = ""
        for scalar in character.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where isControl(scalar): text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// C0 and C1 controls and DEL, plus the bidirectional overrides that reorder a terminal line.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }
}
