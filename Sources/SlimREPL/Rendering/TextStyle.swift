/// Emphasis the REPL applies on a color terminal; plain output drops it.
public enum TextStyle: Sendable, CaseIterable {
    case bold, dim, underline
    /// Emphasized words of prose (`*word*`): italic where the terminal has it.
    case emphasis
    /// Code and formulas inside prose (`` `code` ``).
    case code
    /// Errors.
    case error
    /// Warnings and notes that need attention.
    case warning
    /// Good news: better accuracy, smaller size.
    case good
    /// Command names, prompts, highlights.
    case accent
    /// Headings of tables and help sections.
    case heading

    var ansiCode: String {
        switch self {
        case .bold, .heading: "1"
        case .dim: "2"
        case .underline: "4"
        case .emphasis: "3"
        case .code: "36"
        case .error: "1;31"
        case .warning: "33"
        case .good: "32"
        case .accent: "36"
        }
    }
}

/// Applies `TextStyle`s as ANSI escape sequences when enabled, and not at all otherwise, so
/// rendering code styles text the same way for terminals and scripts.
public struct TextStyler: Sendable, Equatable {
    /// Whether escape sequences are written.
    public let isEnabled: Bool

    public init(enabled: Bool) { isEnabled = enabled }

    /// Plain text: no escape sequences.
    public static let plain = TextStyler(enabled: false)

    /// `text` in `style` (unchanged when disabled or empty).
    public func callAsFunction(_ text: String, _ style: TextStyle) -> String {
        guard isEnabled, !text.isEmpty else { return text }
        return "\u{1B}[\(style.ansiCode)m\(text)\u{1B}[0m"
    }

    /// `text` without ANSI escape sequences (for measuring styled text).
    public static func stripped(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var result = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
