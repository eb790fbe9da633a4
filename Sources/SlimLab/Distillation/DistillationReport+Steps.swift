/// The steps `distill` shows, from its `DistillationReport`: the setting, the teacher's dark
/// knowledge on one sample, the loss with that sample's numbers, the gradient scales behind
/// T², the epochs, and the distilled students against the from-scratch ones.
extension DistillationReport {
    var title: String {
        let student = distilledName.map { "\($0) (\(studentArchitecture))" } ?? studentArchitecture
        return "distill: \(teacherName) (\(teacherArchitecture)) → \(student) on \(datasetName)"
    }

    var steps: [TechniqueStep] {
        [TechniqueStep(title: "Teacher, student and data", items: settingItems),
         TechniqueStep(title: "Dark knowledge: the teacher on training sample \(example.sampleIndex)", items: darkKnowledgeItems),
         TechniqueStep(title: "The loss for sample \(example.sampleIndex), at the student's initial weights", items: lossItems),
         TechniqueStep(title: "Why T²: the size of each term's gradient", items: gradientScaleItems),
         TechniqueStep(title: "Training (seed \(seeds[0].seed)): the two terms, epoch by epoch", items: epochItems),
         TechniqueStep(title: options.comparesWithScratch ? "Distilled vs from scratch, on the test set" : "Result",
                       items: resultItems, isResult: true)]
    }

    /// `student (distilled) and student-scratch, both from seed 0`.
    var made: Phrase? {
        guard let distilledName else { return nil }
        var text = "\(distilledName) (distilled)"
        if let scratchName { text += " and \(scratchName)" }
        if seeds.count > 1 { text += scratchName == nil ? ", from seed \(seeds[0].seed)" : ", both from seed \(seeds[0].seed)" }
        return Phrase(text)
    }

    private static func setting(_ x: Float) -> String { DistillationLoss.text(x) }
    private static func percent(_ x: Double?) -> Phrase { x.map { "\(percent: $0)" } ?? "—" }
    private static func points(_ fraction: Double?) -> Phrase { fraction.map { "\(fixed: $0 * 100, digits: 2)" } ?? "—" }
    private static func signed(_ points: Double?) -> Phrase { points.map { Phrase(.points($0)) } ?? "—" }

    // MARK: Steps

    private var settingItems: [TechniqueItem] {
        let studentOrigin: String
        switch student {
        case .architecture: studentOrigin = "new, seed \(options.seeds[0])"
        case .variant(let name): studentOrigin = "copy of \(name)"
        }
        let table = TechniqueTable(["role", "model", "architecture", "parameters", "test accuracy"], rows: [
            ["teacher", Phrase(teacherName), Phrase(teacherArchitecture), "\(count: teacherParameterCount)", Self.percent(teacherTestAccuracy)],
            ["student", Phrase(studentOrigin), Phrase(studentArchitecture), "\(count: studentParameterCount)", "—"],
        ])
        let labels: Phrase = labeledCount == transferCount
            ? "the student has all their labels too"
            : "the student has labels for \(count: labeledCount) of them "
                + "(\(percent: Double(labeledCount) / Double(transferCount), digits: 1), "
                + "stratified\(options.seeds.count > 1 ? ", drawn anew for every seed" : ""))"
        let t = Self.setting(options.loss.temperature)
        let training = options.training
        return [
            .table(table),
            .paragraph("data: \(count: transferCount) training samples with the teacher's soft targets; \(labels); \(count: testCount) test samples"),
            .paragraph("the teacher ran once over the training samples: p_t = softmax(z_t/\(t)), "
                       + "\(count: transferCount) × \(example.classNames.count) soft targets"),
            .paragraph(Phrase("loss: α=\(Self.setting(options.loss.alpha)) T=\(t) T²=\(options.loss.scalesByTemperatureSquared ? "on" : "off")")),
            .paragraph(Phrase("training: \(training.optimizer.rawValue) lr=\(Self.setting(training.learningRate)) batch=\(training.batchSize) "
                              + "wd=\(Self.setting(training.weightDecay)) schedule=\(training.schedule.rawValue) · "
                              + "\(training.epochs) epoch\(training.epochs == 1 ? "" : "s") · "
                              + "seed\(options.seeds.count == 1 ? "" : "s") \(options.seeds.map(String.init).joined(separator: ","))")),
        ]
    }

    private var darkKnowledgeItems: [TechniqueItem] {
        let example = self.example
        let label = example.classNames[example.trueLabel]
        func bars(_ values: [Double]) -> TechniqueItem {
            let bars = values.indices.map { j in
                TechniqueBars.Bar(label: "class \(example.classNames[j])", value: values[j], text: .percent(values[j]))
            }
            return .bars(TechniqueBars(bars: bars, maximum: 1, marked: example.trueLabel))
        }
        let t = Self.setting(example.loss.temperature)
        let runnersUp = example.classesByTeacher.filter { $0 != example.trueLabel }.prefix(3)
        let listed = runnersUp.map { j -> Phrase in "\(example.classNames[j]) (\(percent: example.softTargets[j]))" }
        let hardestOther = runnersUp.first.map { example.teacherProbabilities[$0] } ?? 0
        return [
            .paragraph(Phrase("true class \(label)\(example.isLabeled ? "" : " (the student has no label for this sample)")")),
            .paragraph("softmax(z_t) at T = 1, what the teacher predicts:"),
            bars(example.teacherProbabilities),
            .paragraph(Phrase("p_t = softmax(z_t/\(t)), the soft targets the student learns from:")),
            bars(example.softTargets),
            .paragraph("At T = 1 the largest wrong class gets \(percent: hardestOther); at T = \(t) the runners-up show: "
                       + Phrase.joined(listed, separator: ", ")
                       + ". The label says only \"\(label)\"; the soft targets also say which wrong classes this sample resembles."),
        ]
    }

    private var lossItems: [TechniqueItem] {
        let example = self.example
        let t = Self.setting(example.loss.temperature)
        let terms = example.klTerms
        let rows: [[Phrase]] = example.classNames.indices.map { j in
            [Phrase(example.classNames[j]), "\(fixed: example.teacherLogits[j])", "\(fixed: example.softTargets[j])",
             "\(fixed: example.studentLogits[j])", "\(fixed: example.studentSoft[j])", "\(fixed: terms[j])"]
        }
        var columns = ["z_t", "p_t (T=\(t))", "z_s", "q_s (T=\(t))", "p_t·log(p_t/q_s)"].map { TechniqueTable.Column(title: $0) }
        columns.insert(TechniqueTable.Column(title: "class", alignment: .left), at: 0)
        let table = TechniqueTable(columns: columns, rows: rows, markedRow: example.trueLabel)
        return [.rules(title: "knowledge distillation (Hinton, Vinyals & Dean, 2015)", lines: [
                    example.loss.scalesByTemperatureSquared
                        ? DistillationLoss.rule
                        : DistillationLoss.ruleWithoutTemperatureSquared + "      (tsquared=off)",
                    "p_t = softmax(z_t / T),  q_s = softmax(z_s / T),  KL(p ‖ q) = Σⱼ pⱼ·log(pⱼ / qⱼ)",
                ]),
                .table(table)] + example.formulas.map(TechniqueItem.derivation)
    }

    private var gradientScaleItems: [TechniqueItem] {
        let loss = options.loss
        let chosen = gradientScales.firstIndex { $0.temperature == loss.temperature }
        let rows: [[Phrase]] = gradientScales.map { scale in
            [Phrase(Self.setting(scale.temperature)), "\(fixed: scale.softNorm)", "\(fixed: scale.scaledSoftNorm)", "\(fixed: scale.hardNorm)",
             "\(fixed: scale.ratio)", "\(fixed: scale.scaledRatio)"]
        }
        var items: [TechniqueItem] = [
            .table(TechniqueTable(["T", "‖∂KL/∂z‖", "‖T²·∂KL/∂z‖", "‖∂CE/∂z‖", "KL/CE", "T²·KL/CE"], rows: rows, markedRow: chosen)),
            .paragraph("measured on the first \(gradientSampleCount) training samples at the student's initial weights. "
                       + "∂KL/∂z = (q_s − p_t)/T shrinks about as 1/T² when T grows; T² puts it back on the scale of the "
                       + "labels' gradient, so α weighs the two terms the same way at any T."),
        ]
        guard let chosen else { return items }
        let scale = gradientScales[chosen]
        var flipped = loss
        flipped.scalesByTemperatureSquared.toggle()
        let on = loss.scalesByTemperatureSquared
        items.append(.paragraph("this run: ‖α·\(on ? "T²·" : "")∂KL/∂z‖ / ‖(1 − α)·∂CE/∂z‖ = \(fixed: scale.weightedRatio(loss))"
                                + "; with tsquared=\(on ? "off" : "on") it would be \(fixed: scale.weightedRatio(flipped))",
                                tone: on ? .plain : .warning))
        if !on && loss.temperature > 1 {
            items.append(.paragraph(Phrase("without T² the teacher's voice is \(Self.setting(loss.temperature * loss.temperature))× "
                                           + "quieter than α=\(Self.setting(loss.alpha)) says"), tone: .warning))
        }
        return items
    }

    private var epochItems: [TechniqueItem] {
        let epochs = seeds[0].distillation.epochs
        let every = epochs.count <= 12 ? 1 : (epochs.count + 9) / 10
        let shown = epochs.filter { $0.epoch == 1 || $0.epoch % every == 0 || $0.epoch == epochs.count }
        let rows: [[Phrase]] = shown.map { e in
            [Phrase(String(e.epoch)), "\(fixed: e.soft)", e.hard.map { "\(fixed: $0)" } ?? "—", "\(fixed: e.loss)",
             Self.percent(e.trainAccuracy), Self.percent(e.testAccuracy)]
        }
        var items: [TechniqueItem] = [.table(TechniqueTable(["epoch", "soft KL", "hard CE", "L", "train (labeled)", "test"], rows: rows))]
        if every > 1 { items.append(.paragraph(Phrase("(every \(every == 2 ? "2nd" : every == 3 ? "3rd" : "\(every)th") epoch shown)"))) }
        let losses = epochs.map(\.loss)
        if losses.count > 1 { items.append(.curve(TechniqueCurve(label: "L ", values: losses))) }
        if seeds.count > 1 {
            let others = seeds.dropFirst().map { String($0.seed) }.joined(separator: ", ")
            items.append(.paragraph(Phrase("seed\(seeds.count > 2 ? "s" : "") \(others) trained the same way (not shown)")))
        }
        if let after = example.klAfter {
            items.append(.paragraph("sample \(example.sampleIndex): KL(p_t ‖ q_s) went from \(fixed: example.kl) before training "
                                    + "to \(fixed: after) after it: the student learned the teacher's soft answer"))
        }
        return items
    }

    /// The distilled students against the from-scratch ones (or alone), the verdict, and notes.
    private var resultItems: [TechniqueItem] {
        var items: [TechniqueItem] = []
        let distilledUpdates = seeds[0].distillation.steps
        if options.comparesWithScratch, let scratch = seeds[0].scratch {
            let start: String
            switch student {
            case .architecture: start = "from the same initial weights"
            case .variant(let name): start = "starting from \(name) as the distilled student did"
            }
            let labels: Phrase = labeledCount == transferCount
                ? "on the \(count: labeledCount) labeled samples"
                : "on its \(count: labeledCount) labeled samples alone"
            items.append(.paragraph("from scratch: the same \(studentArchitecture) \(start), \(labels), with the same optimizer, "
                                    + "learning rate, batch and seed: \(count: scratch.updates) updates "
                                    + "(\(scratch.epochs) epochs) against the distilled student's \(count: distilledUpdates) "
                                    + "(\(options.training.epochs) epochs)"))
            var rows: [[Phrase]] = seeds.map { seed in
                [Phrase(String(seed.seed)), Self.percent(seed.distilledAccuracy), Self.percent(seed.scratch?.accuracy), Self.signed(seed.gainPoints)]
            }
            if seeds.count > 1 {
                rows.append(["mean", Self.percent(meanDistilledAccuracy), Self.percent(meanScratchAccuracy), Self.signed(meanGainPoints)])
                rows.append(["sd (points)", Self.points(distilledAccuracySpread), Self.points(scratchAccuracySpread), ""])
            }
            items.append(.table(TechniqueTable(["seed", "distilled", "from scratch", "Δ points"], rows: rows)))
            if let gain = meanGainPoints {
                if seeds.count == 1 {
                    let seed = Phrase(String(seeds[0].seed))
                    items.append(.paragraph("distilled − from scratch: \(Quantity.points(gain)) points on seed \(seed); one seed cannot tell "
                                            + "a real difference from luck — seeds=0,1,2 can"))
                } else if gainIsWithinSpread == true {
                    items.append(.paragraph("the two are within the spread between seeds: a mean difference of \(Quantity.points(gain)) points "
                                            + "says nothing either way", tone: .warning))
                } else {
                    let verdict = gain > 0 ? "beats" : gain < 0 ? "trails" : "ties"
                    items.append(.paragraph("the distilled student \(verdict) the one from scratch by \(fixed: abs(gain), digits: 2) "
                                            + "points (the mean of \(seeds.count) seeds)", tone: gain > 0 ? .good : .warning))
                }
            }
        } else {
            var rows: [[Phrase]] = seeds.map { [Phrase(String($0.seed)), Self.percent($0.distilledAccuracy)] }
            if seeds.count > 1 {
                rows.append(["mean", Self.percent(meanDistilledAccuracy)])
                rows.append(["sd (points)", Self.points(distilledAccuracySpread)])
            }
            items.append(.table(TechniqueTable(["seed", "distilled"], rows: rows)))
        }
        items += notes.map { .paragraph(Phrase("note: \($0)"), tone: .warning) }
        return items
    }
}
