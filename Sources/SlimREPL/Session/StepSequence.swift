/// The numbered steps of a technique (prune, quantize, distill) as it runs: each `begin`
/// prints `Step i/n · title`; on a terminal with `set pause=on`, it first waits for Enter
/// so a class can follow step by step. Scripts and lessons never pause.
public final class StepSequence {
    /// The number of steps.
    public let total: Int
    /// The step begun last (0 before the first).
    public private(set) var current = 0
    private unowned let context: CommandContext

    init(total: Int, context: CommandContext) {
        self.total = total
        self.context = context
    }

    /// Starts the next step: pauses when asked to (not before the first step), then prints
    /// its header. Throws `CommandStopped` when Ctrl-C was pressed.
    public func begin(_ title: String) throws {
        try begin(title, number: current + 1)
    }

    /// Starts step `number` (steps shown again need not start at 1): pauses when asked to,
    /// unless it is the first one shown, then prints its header.
    public func begin(_ title: String, number index: Int) throws {
        let first = current == 0
        if !first {
            let prompt = context.style("  ⏎ step \(index)/\(total) · Ctrl-C stops ", .dim)
            guard context.pauseBeforeStep(prompt) else { throw CommandStopped() }
        }
        try context.checkStop()
        current = index
        context.print(StepHeader.render(index: index, total: total, title: title, style: context.style))
    }
}
