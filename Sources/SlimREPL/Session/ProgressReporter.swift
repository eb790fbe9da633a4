/// Draws and updates a progress bar while a long command runs, on a terminal only (in
/// scripts it does nothing, so transcripts stay free of timing).
public final class ProgressReporter {
    public let total: Int
    public let label: String
    private let output: any OutputSink
    private let enabled: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?

    init(total: Int, label: String, output: any OutputSink, enabled: Bool) {
        self.total = total
        self.label = label
        self.output = output
        self.enabled = enabled
        start = clock.now
    }

    /// Reports `completed` units done; redraws at most ten times a second (and always at
    /// the end). `detail` is shown after the percentage (`loss 0.4123`).
    public func update(completed: Int, detail: String = "") {
        guard enabled else { return }
        let now = clock.now
        if let lastDraw, completed < total, now - lastDraw < .milliseconds(100) { return }
        lastDraw = now
        let elapsed = seconds(now - start)
        output.writeTransient(ProgressBar.render(label: label, completed: completed, total: total,
                                                 elapsed: elapsed, detail: detail, width: output.width - 1))
    }

    /// Removes the bar (call when done or stopped, before printing results).
    public func finish() {
        guard enabled else { return }
        output.clearTransient()
    }

    private func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
