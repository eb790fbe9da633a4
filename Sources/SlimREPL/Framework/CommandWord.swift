/// One word of a command line after quote removal, split at its first unquoted `=`.
public struct CommandWord: Equatable, Sendable {
    /// The whole word with quotes removed (`student=mlp 64-16-10`).
    public var text: String
    /// The part before the first `=` outside quotes, when there is one (`student`).
    public var key: String?
    /// The part after that `=` (`mlp 64-16-10`).
    public var value: String?

    public init(text: String, key: String? = nil, value: String? = nil) {
        self.text = text
        self.key = key
        self.value = value
    }
}

/// Splits command lines into words, the way a shell does for the simple cases: whitespace
/// separates words; `'…'` keeps text literally; `"…"` keeps spaces and honours `\"` and `\\`;
/// outside quotes `\` escapes the next character.
public enum CommandLineTokenizer {
    /// The words of `line`; throws `CommandError.unterminatedQuote` for an open quote.
    public static func words(_ line: String) throws -> [CommandWord] {
        let scan = scan(line)
        if let quote = scan.openQuote { throw CommandError.unterminatedQuote(quote) }
        return scan.words
    }

    /// The words of a possibly unfinished line, for completion: an open quote is tolerated.
    public static func wordsLeniently(_ line: String) -> [CommandWord] {
        scan(line).words
    }

    /// Splits a line at `;` outside quotes into separate commands (`-c "help; set"`),
    /// dropping empty pieces.
    public static func splitCommands(_ line: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ";" {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// The text after the last `;` outside quotes: the command being typed at the end of
    /// a line (for completion).
    public static func lastCommand(of line: String) -> Substring {
        var start = line.startIndex
        var quote: Character?
        var escaped = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if escaped {
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ";" {
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        return line[start...]
    }

    private static func scan(_ line: String) -> (words: [CommandWord], openQuote: Character?) {
        var words: [CommandWord] = []
        var text = ""
        var keyLength: Int?
        var sawQuote = false
        var inWord = false
        var quote: Character?
        var escaped = false

        func finish() {
            guard inWord else { return }
            var word = CommandWord(text: text)
            if let keyLength, keyLength > 0 {
                word.key = String(text.prefix(keyLength))
                word.value = String(text.dropFirst(keyLength + 1))
            }
            words.append(word)
            text = ""
            keyLength = nil
            sawQuote = false
            inWord = false
        }

        for character in line {
            if escaped {
                text.append(character)
                escaped = false
                continue
            }
            switch quote {
            case "'":
                if character == "'" { quote = nil } else { text.append(character) }
            case "\"":
                if character == "\"" { quote = nil }
                else if character == "\\" { escaped = true }
                else { text.append(character) }
            default:
                if character == " " || character == "\t" || character == "\n" || character == "\r" {
                    finish()
                } else if character == "'" || character == "\"" {
                    quote = character
                    sawQuote = true
                    inWord = true
                } else if character == "\\" {
                    escaped = true
                    inWord = true
                } else {
                    if character == "=" && keyLength == nil && !sawQuote {
                        keyLength = text.count
                    }
                    text.append(character)
                    inWord = true
                }
            }
        }
        if escaped { text.append("\\") }
        finish()
        return (words, quote)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
