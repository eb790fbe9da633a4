import SlimLab

/// The closing lines every technique prints from its `TechniqueSummary`: size, accuracy and
/// (when measured) latency of the new variant against its source, then what was made and
/// which model stays current (no technique changes the current model).
enum TechniqueSummaryLines {
    /// `size`, `accuracy` and `latency` lines, indented (`size` says `unchanged` when it is).
    static func deltas(_ summary: TechniqueSummary) -> [String] {
        var lines = [summary.sourceBytes == summary.variantBytes
            ? "  size      \(NumberFormatting.bytes(summary.variantBytes))  (unchanged)"
            : "  size      \(NumberFormatting.bytes(summary.sourceBytes)) → \(NumberFormatting.bytes(summary.variantBytes))"
                + "  (\(NumberFormatting.fixed(summary.sizeRatio, digits: 2))× smaller)"]
        if let before = summary.accuracyBefore, let after = summary.accuracyAfter, let delta = summary.accuracyDeltaPoints {
            lines.append("  accuracy  \(NumberFormatting.percent(before)) → \(NumberFormatting.percent(after))"
                         + "  (\(delta >= 0 ? "+" : "")\(NumberFormatting.fixed(delta, digits: 2)) points, "
                         + "\(summary.testSetName ?? "the") test set)")
        } else {
            lines.append("  accuracy  load a dataset ('data load digits') to measure it")
        }
        if let before = summary.latencyBefore, let after = summary.latencyAfter, let speedup = summary.speedup {
            lines.append("  latency   \(NumberFormatting.duration(seconds: before.seconds)) → "
                         + "\(NumberFormatting.duration(seconds: after.seconds)) per batch of \(TechniqueSummary.latencyBatch)"
                         + "  (\(NumberFormatting.fixed(speedup, digits: 2))× faster, "
                         + "\(summary.threads) thread\(summary.threads == 1 ? "" : "s"))")
        }
        return lines
    }

    /// `made NAME; CURRENT stays the current model (…)`, the last line of every technique.
    static func made(_ variant: String, in context: CommandContext) -> String {
        "made \(variant); " + currentNote(variant, in: context)
    }

    /// Which model stays current and how to switch to the new one.
    static func currentNote(_ variant: String, in context: CommandContext) -> String {
        let current = context.workspace.variants.currentName ?? variant
        return "\(current) stays the current model ('model use \(variant)' switches, 'compare' shows all)"
    }
}
