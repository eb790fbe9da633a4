import SlimLab
import SlimKernels

/// How much of a technique's outcome to show: `full`, every step; `brief`, the title, what the
/// result steps show (a comparison, the error per layer, the codebook) and the summary lines.
enum TechniqueDetail: String, CaseIterable, ArgumentValue {
    case full, brief
}

/// Draws every technique's `TechniqueOutcome` the same way: the title; in full, the numbered
/// steps (`Step i/n · …`, pausing before each on a terminal with `set pause=on`); the result;
/// the summary lines (size, accuracy, latency); and what was made. With `set pause=on` or
/// `set pager=on`, output taller than the screen also waits with "── more (Enter, q) ──",
/// inside a step as well: `q` leaves out the rest of the output (the variant is made), Ctrl-C
/// at any of these prompts stops the command and the session is as it was. SlimLab builds the
/// outcome; this only formats it.
struct TechniqueRenderer {
    let context: CommandContext

    /// Prints `outcome`; throws `CommandStopped` when Ctrl-C ends a pause.
    func render(_ outcome: TechniqueOutcome, detail: TechniqueDetail) throws {
        context.print(context.style(outcome.title, .bold))
        if detail == .full {
            let steps = context.steps(outcome.steps.count)
            for step in outcome.steps {
                try steps.begin(step.title)
                for item in step.items { render(item) }
            }
        } else {
            for step in outcome.steps where step.isResult {
                for item in step.items { render(item) }
            }
        }
        try renderClosing(outcome)
        if let made = outcome.made {
            context.print("made " + text(made) + "; " + TechniqueSummaryLines.currentNote(outcome.variant, in: context))
        }
    }

    /// Prints the steps `chosen` (every step when nil) of an outcome made earlier, numbered as
    /// they were, for `steps`; with the last step come the result and the summary lines.
    func render(_ outcome: TechniqueOutcome, steps chosen: ClosedRange<Int>?) throws {
        let all = 1...max(1, outcome.steps.count)
        let shown = chosen ?? all
        let part = shown == all ? "" : shown.count == 1 ? " (step \(shown.lowerBound) of \(outcome.steps.count))"
            : " (steps \(shown.lowerBound)-\(shown.upperBound) of \(outcome.steps.count))"
        context.print(context.style(outcome.title + part, .bold))
        let steps = context.steps(outcome.steps.count)
        for (index, step) in outcome.steps.enumerated() where shown.contains(index + 1) {
            try steps.begin(step.title, number: index + 1)
            for item in step.items { render(item) }
        }
        if shown.upperBound >= outcome.steps.count { try renderClosing(outcome) }
    }

    /// What follows the steps: the result, the summary lines and the facts.
    private func renderClosing(_ outcome: TechniqueOutcome) throws {
        for item in outcome.result { render(item) }
        // Ctrl-C at a "more" prompt inside the last step stops the command as at a step pause.
        try context.checkStop()
        context.print(lines: TechniqueSummaryLines.deltas(outcome.summary))
        if outcome.summary.latencyBefore != nil {
            context.print(kernelDescription(threads: outcome.summary.threads))
        }
        for fact in outcome.facts {
            context.print("  " + DisplayWidth.padRight(fact.label, to: 9) + " " + text(fact.text))
        }
    }

    // MARK: Numbers and text

    /// A quantity as the session writes it.
    func format(_ quantity: Quantity) -> String {
        switch quantity {
        case .count(let n): return NumberFormatting.grouped(n)
        case .percent(let x, let digits): return NumberFormatting.percent(x, digits: digits)
        case .fixed(let x, let digits): return NumberFormatting.fixed(x, digits: digits ?? context.precision)
        case .significant(let x, let digits): return Formula.Value.real(x).formatted(digits: digits ?? context.precision)
        case .setting(let x): return NumberFormatting.shortest(x)
        case .bytes(let n): return NumberFormatting.bytes(n)
        case .points(let x):
            let text = NumberFormatting.fixed(x, digits: 2)
            return x > 0 && text != "0.00" ? "+" + text : text
        }
    }

    /// A phrase with its numbers written.
    func text(_ phrase: Phrase) -> String { phrase.text(format) }

    func style(_ text: String, _ tone: TechniqueItem.Tone) -> String {
        switch tone {
        case .plain: return text
        case .accent: return context.style(text, .accent)
        case .good: return context.style(text, .good)
        case .warning: return context.style(text, .warning)
        }
    }

    /// Lines indented two columns under the step header (empty lines stay empty).
    func printIndented(_ text: String) {
        context.print(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 })
    }
}
