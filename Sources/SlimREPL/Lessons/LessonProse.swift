/// Renders a lesson's Markdown prose for the terminal at the session's width: headings
/// underlined, paragraphs wrapped, lists with a hanging indent, tables aligned, code and
/// formulas set apart, inline code and emphasis styled on a terminal and plain in scripts
/// (see `MarkdownRenderer`).
public enum LessonProse {
    /// The widest prose is set, even on a wider terminal: longer lines are hard to read.
    public static let maximumWidth = 100

    public static func render(_ markdown: String, width: Int, style: TextStyler) -> [String] {
        MarkdownRenderer(width: min(width, maximumWidth), style: style).render(markdown)
    }
}
