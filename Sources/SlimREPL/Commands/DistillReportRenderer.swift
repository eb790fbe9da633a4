import SlimLab

/// Prints a `DistillationReport` step by step: the setting, the teacher's dark knowledge on one
/// sample, the loss with that sample's numbers, the gradient scales behind T², the epochs, and
/// the distilled students against the from-scratch ones.
struct DistillReportRenderer {
    let context: CommandContext

    private var digits: Int { context.precision }
    private func fixed(_ x: Double) -> String { context.fixed(x) }
    private func percent(_ x: Double?) -> String { x.map { NumberFormatting.percent($0) } ?? "—" }
    /// A setting as it was typed: `4`, `0.7`.
    private func setting(_ x: Float) -> String { x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : "\(x)" }

    /// Prose under a step: wrapped to the width, indented two columns.
    private func say(_ text: String, _ style: TextStyle? = nil) {
        let lines = TextWrapping.wrap(text, width: context.width, indent: "  ")
        context.print(lines: style.map { style in lines.map { context.style($0, style) } } ?? lines)
    }

    /// A rendered block (table, chart) indented two columns.
    private func indented(_ text: String) {
        context.print(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 })
    }

    private func show(_ table: Table) {
        indented(table.render(width: context.width - 2, style: context.style))
    }

    private func show(_ chart: BarChart) {
        let labels = chart.bars.map { DisplayWidth.of($0.label) }.max() ?? 0
        let values = chart.bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let gutter = chart.markedBar == nil ? 0 : 2
        indented(chart.render(barWidth: max(10, min(40, context.width - labels - values - gutter - 8)), style: context.style))
    }

    func render(_ report: DistillationReport, detail: DistillCommand.Detail) throws {
        let student = report.distilledName.map { "\($0) (\(report.studentArchitecture))" } ?? report.studentArchitecture
        context.print(context.style("distill: \(report.teacherName) (\(report.teacherArchitecture)) → \(student) on \(report.datasetName)", .bold))
        if detail == .brief {
            renderResults(report)
            renderClosing(report)
            return
        }
        let steps = context.steps(6)
        try steps.begin("Teacher, student and data")
        renderSetting(report)
        try steps.begin("Dark knowledge: the teacher on training sample \(report.example.sampleIndex)")
        renderDarkKnowledge(report.example)
        try steps.begin("The loss for sample \(report.example.sampleIndex), at the student's initial weights")
        renderLoss(report.example)
        try steps.begin("Why T²: the size of each term's gradient")
        renderGradientScales(report)
        try steps.begin("Training (seed \(report.seeds[0].seed)): the two terms, epoch by epoch")
        renderEpochs(report)
        try steps.begin(report.options.comparesWithScratch ? "Distilled vs from scratch, on the test set" : "Result")
        renderResults(report)
        if let after = report.example.klAfter {
            say("sample \(report.example.sampleIndex): KL(p_t ‖ q_s) went from \(fixed(report.example.kl)) before training "
                          + "to \(fixed(after)) after it: the student learned the teacher's soft answer")
        }
        renderClosing(report)
    }

    // MARK: Steps

    private func renderSetting(_ report: DistillationReport) {
        let options = report.options
        let studentOrigin: String
        switch report.student {
        case .architecture: studentOrigin = "new, seed \(options.seeds[0])"
        case .variant(let name): studentOrigin = "copy of \(name)"
        }
        show(Table(["role", "model", "architecture", "parameters", "test accuracy"], rows: [
            ["teacher", report.teacherName, report.teacherArchitecture, NumberFormatting.grouped(report.teacherParameterCount),
             percent(report.teacherTestAccuracy)],
            ["student", studentOrigin, report.studentArchitecture, NumberFormatting.grouped(report.studentParameterCount), "—"],
        ]))
        let labels = report.labeledCount == report.transferCount
            ? "the student has all their labels too"
            : "the student has labels for \(NumberFormatting.grouped(report.labeledCount)) of them "
                + "(\(NumberFormatting.percent(Double(report.labeledCount) / Double(report.transferCount), digits: 1)), "
                + "stratified\(options.seeds.count > 1 ? ", drawn anew for every seed" : ""))"
        say("data: \(NumberFormatting.grouped(report.transferCount)) training samples with the teacher's soft targets; "
                      + "\(labels); \(NumberFormatting.grouped(report.testCount)) test samples")
        say("the teacher ran once over the training samples: p_t = softmax(z_t/\(setting(options.loss.temperature))), "
                      + "\(NumberFormatting.grouped(report.transferCount)) × \(report.example.classNames.count) soft targets")
        let training = options.training
        say("loss: α=\(setting(options.loss.alpha)) T=\(setting(options.loss.temperature)) "
            + "T²=\(options.loss.scalesByTemperatureSquared ? "on" : "off")")
        say("training: \(training.optimizer.rawValue) lr=\(setting(training.learningRate)) batch=\(training.batchSize) "
            + "wd=\(setting(training.weightDecay)) schedule=\(training.schedule.rawValue) · "
            + "\(training.epochs) epoch\(training.epochs == 1 ? "" : "s") · "
            + "seed\(options.seeds.count == 1 ? "" : "s") \(options.seeds.map(String.init).joined(separator: ","))")
    }

    private func renderDarkKnowledge(_ example: DistillationExample) {
        let label = example.classNames[example.trueLabel]
        let names = example.classNames.indices.map { "class \(example.classNames[$0])" }
        func chart(_ values: [Double]) -> BarChart {
            BarChart(bars: values.indices.map { BarChart.Bar(names[$0], values[$0], valueText: NumberFormatting.percent(values[$0])) },
                     maximum: 1, markedBar: example.trueLabel)
        }
        say("true class \(label)\(example.isLabeled ? "" : " (the student has no label for this sample)")")
        say("softmax(z_t) at T = 1, what the teacher predicts:")
        show(chart(example.teacherProbabilities))
        say("p_t = softmax(z_t/\(setting(example.loss.temperature))), the soft targets the student learns from:")
        show(chart(example.softTargets))
        let runnersUp = example.classesByTeacher.filter { $0 != example.trueLabel }.prefix(3)
        let listed = runnersUp.map { "\(example.classNames[$0]) (\(NumberFormatting.percent(example.softTargets[$0])))" }
        let hardestOther = runnersUp.first.map { example.teacherProbabilities[$0] } ?? 0
        say("At T = 1 the largest wrong class gets \(NumberFormatting.percent(hardestOther)); at T = "
                      + "\(setting(example.loss.temperature)) the runners-up show: \(listed.joined(separator: ", ")). "
                      + "The label says only \"\(label)\"; the soft targets also say which wrong classes this sample resembles.")
    }

    private func renderLoss(_ example: DistillationExample) {
        context.show(FormulaBlock(title: "knowledge distillation (Hinton, Vinyals & Dean, 2015)", lines: [
            example.loss.scalesByTemperatureSquared
                ? "L = α·T²·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))"
                : "L = α·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))      (tsquared=off)",
            "p_t = softmax(z_t / T),  q_s = softmax(z_s / T),  KL(p ‖ q) = Σⱼ pⱼ·log(pⱼ / qⱼ)",
        ]))
        let t = setting(example.loss.temperature)
        let terms = example.klTerms
        let rows = example.classNames.indices.map { j in
            [example.classNames[j], fixed(example.teacherLogits[j]), fixed(example.softTargets[j]), fixed(example.studentLogits[j]),
             fixed(example.studentSoft[j]), fixed(terms[j])]
        }
        show(Table(columns: [Table.Column("class", alignment: .left), Table.Column("z_t"), Table.Column("p_t (T=\(t))"),
                                     Table.Column("z_s"), Table.Column("q_s (T=\(t))"), Table.Column("p_t·log(p_t/q_s)")],
                           rows: rows, markedRow: example.trueLabel))
        for formula in example.formulas {
            context.show(FormulaBlock(formula, digits: digits, frame: .indented))
        }
    }

    private func renderGradientScales(_ report: DistillationReport) {
        let loss = report.options.loss
        let chosen = report.gradientScales.firstIndex { $0.temperature == loss.temperature }
        let rows = report.gradientScales.map { scale in
            [setting(scale.temperature), fixed(scale.softNorm), fixed(scale.scaledSoftNorm), fixed(scale.hardNorm),
             fixed(scale.ratio), fixed(scale.scaledRatio)]
        }
        show(Table(["T", "‖∂KL/∂z‖", "‖T²·∂KL/∂z‖", "‖∂CE/∂z‖", "KL/CE", "T²·KL/CE"], rows: rows, markedRow: chosen))
        say("measured on the first \(report.gradientSampleCount) training samples at the student's initial weights. "
                      + "∂KL/∂z = (q_s − p_t)/T shrinks about as 1/T² when T grows; T² puts it back on the scale of the "
                      + "labels' gradient, so α weighs the two terms the same way at any T.")
        guard let chosen else { return }
        let scale = report.gradientScales[chosen]
        var flipped = loss
        flipped.scalesByTemperatureSquared.toggle()
        let ratio = scale.weightedRatio(loss), other = scale.weightedRatio(flipped)
        let line = "this run: ‖α·\(loss.scalesByTemperatureSquared ? "T²·" : "")∂KL/∂z‖ / ‖(1 − α)·∂CE/∂z‖ = \(fixed(ratio))"
            + "; with tsquared=\(loss.scalesByTemperatureSquared ? "off" : "on") it would be \(fixed(other))"
        say(line, loss.scalesByTemperatureSquared ? nil : .warning)
        if !loss.scalesByTemperatureSquared && loss.temperature > 1 {
            say("without T² the teacher's voice is \(setting(loss.temperature * loss.temperature))× "
                + "quieter than α=\(setting(loss.alpha)) says", .warning)
        }
    }

    private func renderEpochs(_ report: DistillationReport) {
        let epochs = report.seeds[0].distillation.epochs
        let every = epochs.count <= 12 ? 1 : (epochs.count + 9) / 10
        let shown = epochs.filter { $0.epoch == 1 || $0.epoch % every == 0 || $0.epoch == epochs.count }
        let rows = shown.map { e in
            [String(e.epoch), fixed(e.soft), e.hard.map(fixed) ?? "—", fixed(e.loss), percent(e.trainAccuracy), percent(e.testAccuracy)]
        }
        show(Table(["epoch", "soft KL", "hard CE", "L", "train (labeled)", "test"], rows: rows))
        if every > 1 { say("(every \(every == 2 ? "2nd" : every == 3 ? "3rd" : "\(every)th") epoch shown)") }
        let losses = epochs.map(\.loss)
        if losses.count > 1 { say("L " + Sparkline.summary(losses, digits: digits)) }
        if report.seeds.count > 1 {
            let others = report.seeds.dropFirst().map { String($0.seed) }.joined(separator: ", ")
            say("seed\(report.seeds.count > 2 ? "s" : "") \(others) trained the same way (not shown)")
        }
    }

    private func renderResults(_ report: DistillationReport) {
        let distilledUpdates = report.seeds[0].distillation.steps
        guard report.options.comparesWithScratch, let scratch = report.seeds[0].scratch else {
            var rows = report.seeds.map { [String($0.seed), percent($0.distilledAccuracy)] }
            if report.seeds.count > 1 {
                rows.append(["mean", percent(report.meanDistilledAccuracy)])
                rows.append(["sd (points)", points(report.distilledAccuracySpread)])
            }
            show(Table(["seed", "distilled"], rows: rows))
            return
        }
        let start: String
        switch report.student {
        case .architecture: start = "from the same initial weights"
        case .variant(let name): start = "starting from \(name) as the distilled student did"
        }
        let labels = report.labeledCount == report.transferCount
            ? "on the \(NumberFormatting.grouped(report.labeledCount)) labeled samples"
            : "on its \(NumberFormatting.grouped(report.labeledCount)) labeled samples alone"
        say("from scratch: the same \(report.studentArchitecture) \(start), \(labels), with the same optimizer, "
                      + "learning rate, batch and seed: \(NumberFormatting.grouped(scratch.updates)) updates "
                      + "(\(scratch.epochs) epochs) against the distilled student's \(NumberFormatting.grouped(distilledUpdates)) "
                      + "(\(report.options.training.epochs) epochs)")
        var rows = report.seeds.map { seed in
            [String(seed.seed), percent(seed.distilledAccuracy), percent(seed.scratch?.accuracy), signed(seed.gainPoints)]
        }
        if report.seeds.count > 1 {
            rows.append(["mean", percent(report.meanDistilledAccuracy), percent(report.meanScratchAccuracy), signed(report.meanGainPoints)])
            rows.append(["sd (points)", points(report.distilledAccuracySpread), points(report.scratchAccuracySpread), ""])
        }
        show(Table(["seed", "distilled", "from scratch", "Δ points"], rows: rows))
        guard let gain = report.meanGainPoints else { return }
        if report.seeds.count == 1 {
            say("distilled − from scratch: \(signed(gain)) points on seed \(report.seeds[0].seed); one seed cannot tell "
                + "a real difference from luck — seeds=0,1,2 can")
        } else if report.gainIsWithinSpread == true {
            say("the two are within the spread between seeds: a mean difference of \(signed(gain)) points "
                + "says nothing either way", .warning)
        } else {
            let verdict = gain > 0 ? "beats" : gain < 0 ? "trails" : "ties"
            say("the distilled student \(verdict) the one from scratch by \(NumberFormatting.fixed(abs(gain), digits: 2)) "
                + "points (the mean of \(report.seeds.count) seeds)", gain > 0 ? .good : .warning)
        }
    }

    private func renderClosing(_ report: DistillationReport) {
        for note in report.notes { say("note: \(note)", .warning) }
        guard let distilled = report.distilledName else { return }
        var line = "added \(distilled) (distilled)"
        if let scratch = report.scratchName { line += " and \(scratch)" }
        if report.seeds.count > 1 { line += report.scratchName == nil ? ", from seed \(report.seeds[0].seed)" : ", both from seed \(report.seeds[0].seed)" }
        context.print(line + "; " + TechniqueSummaryLines.currentNote(distilled, in: context))
    }

    // MARK: Numbers

    private func signed(_ points: Double?) -> String {
        guard let points else { return "—" }
        let text = NumberFormatting.fixed(points, digits: 2)
        return points > 0 && text != "0.00" ? "+" + text : text
    }

    private func points(_ fraction: Double?) -> String {
        fraction.map { NumberFormatting.fixed($0 * 100, digits: 2) } ?? "—"
    }
}
