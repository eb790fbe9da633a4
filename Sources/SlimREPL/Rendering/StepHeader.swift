/// The header of one numbered step of a technique: `Step 2/5 · Compute the threshold`.
public enum StepHeader {
    /// The header text, plain.
    public static func render(index: Int, total: Int, title: String) -> String {
        "Step \(index)/\(total) · \(title)"
    }

    /// The header in bold when `style` is enabled.
    public static func render(index: Int, total: Int, title: String, style: TextStyler) -> String {
        style(render(index: index, total: total, title: title), .heading)
    }
}
