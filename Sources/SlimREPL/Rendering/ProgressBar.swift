/// One line showing how far a long computation is: label, bar, percentage, details and ETA.
///
/// ```
/// epoch 3/10 ▕███████▌          ▏  35% loss 0.4123 acc 91.20% ETA 0:12
/// ```
public enum ProgressBar {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The progress line for `completed` of `total` units after `elapsed` seconds, fitted to
    /// `width` columns (the bar shrinks first, then the details are cut).
    public static func render(label: String, completed: Int, total: Int, elapsed: Double,
                              detail: String = "", width: Int = 80) -> String {
        let fraction = total > 0 ? min(1, max(0, Double(completed) / Double(total))) : 0
        let percent = DisplayWidth.padLeft("\(Int((fraction * 100).rounded(.down)))%", to: 4)
        let eta: String
        if completed >= total && total > 0 {
            eta = "done " + NumberFormatting.clock(seconds: elapsed)
        } else if completed > 0 {
            eta = "ETA " + NumberFormatting.clock(seconds: elapsed / Double(completed) * Double(total - completed))
        } else {
            eta = "ETA -:--"
        }
        let tail = [percent, detail, eta].filter { !$0.isEmpty }.joined(separator: " ")
        let fixed = DisplayWidth.of(label) + 1 + 2 + 1 + DisplayWidth.of(tail)
        let barWidth = min(30, max(10, width - fixed))
        let line = "\(label) ▕\(bar(fraction, width: barWidth))▏ \(tail)"
        return DisplayWidth.truncate(line, to: width)
    }

    /// A bar of `width` columns filled to `fraction`, in eighths of a column.
    public static func bar(_ fraction: Double, width: Int) -> String {
        let eighthsFilled = Int((min(1, max(0, fraction)) * Double(width * 8)).rounded(.down))
        let full = eighthsFilled / 8
        let partial = eighths[eighthsFilled % 8]
        let used = full + (partial.isEmpty ? 0 : 1)
        return String(repeating: "█", count: full) + partial + String(repeating: " ", count: max(0, width - used))
    }
}
