import SlimLab

/// Draws a quantization-aware training from its `QATOutcome`: prepare (where fake quantization
/// goes), fine-tune (the accuracy per epoch against fp32), convert (the tracked ranges and the
/// weight error) and the result.
struct QATReportRenderer {
    let context: CommandContext

    /// Every step, numbered; throws `CommandStopped` when Ctrl-C ends a pause.
    func render(_ outcome: QATOutcome) throws {
        let run = outcome.run, options = run.options, summary = outcome.summary
        context.print("qat \(summary.source) → \(summary.variant): \(options.summary), "
                      + "\(options.training.epochs) epochs at lr \(options.training.learningRate)")
        let steps = context.steps(4)
        let start = run.initialAccuracy ?? 0, fp32 = summary.accuracyBefore ?? 0

        try steps.begin("Prepare: fake quantization in the forward pass")
        context.print("  layers: " + outcome.preparedLayers.joined(separator: " → "))
        let grid = try IntegerRange(bits: options.bits, scheme: options.scheme)
        context.print("  weights: Ŵ = s·(clamp(round(W/s), \(grid.qmin), \(grid.qmax))), s from the weights at every step "
                      + "(per \(options.granularity.rawValue))")
        context.print("  activations: x̂ = s·(clamp(round(x/s) + z, \(-(1 << (options.effectiveActivationBits - 1))), "
                      + "\((1 << (options.effectiveActivationBits - 1)) - 1)) - z), range by moving average (c = 0.01)")
        context.print("  backward (straight-through): ∂L/∂x = ∂L/∂x̂ where x is inside the grid's range, 0 outside")
        context.print("  accuracy of the fake-quantized model before fine-tuning: \(NumberFormatting.percent(start)) "
                      + "(fp32 \(NumberFormatting.percent(fp32)))")

        try steps.begin("Fine-tune with the straight-through estimator")
        let table = Table(columns: [Table.Column("epoch", alignment: .right), Table.Column("loss", alignment: .right),
                                    Table.Column("train acc", alignment: .right), Table.Column("test acc", alignment: .right),
                                    Table.Column("vs fp32", alignment: .right)],
                          rows: [["0", "-", "-", NumberFormatting.percent(start), points(start - fp32)]]
                              + run.training.epochs.map { e in
                                  [String(e.epoch), context.fixed(e.loss), NumberFormatting.percent(e.trainAccuracy),
                                   e.testAccuracy.map { NumberFormatting.percent($0) } ?? "-",
                                   e.testAccuracy.map { points($0 - fp32) } ?? "-"]
                              })
        context.print(QuantizeViews.indented(table.render(width: context.width - 2, style: context.style)))
        let curve = [start] + run.training.epochs.compactMap(\.testAccuracy)
        context.print("  test accuracy: " + Sparkline.summary(curve.map { $0 * 100 }, digits: 2))

        try steps.begin("Convert: the learned weights and tracked ranges into the int8 engine")
        context.print(QuantizeViews.activationTable(run.activations, context))
        context.print(QuantizeViews.errorTable(run.weightReports.map(\.errorRow), context))

        try steps.begin("Result")
        context.print(lines: TechniqueSummaryLines.deltas(summary))
        context.print(TechniqueSummaryLines.made(summary.variant, in: context))
    }

    private func points(_ delta: Double) -> String {
        (delta >= 0 ? "+" : "") + NumberFormatting.fixed(delta * 100, digits: 2)
    }
}
