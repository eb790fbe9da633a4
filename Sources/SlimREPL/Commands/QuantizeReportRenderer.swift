import SlimLab

/// Draws a post-training quantization's steps from its `QuantizationRun`: the weight ranges,
/// scale and zero point with their numbers, a worked example, the grid, the calibration of
/// activations (static) or the block bytes (Q8_0/Q4_0), and the error per layer.
struct QuantizeReportRenderer {
    let context: CommandContext

    /// Every step of `run`, numbered; throws `CommandStopped` when Ctrl-C ends a pause.
    func render(_ run: QuantizationRun) throws {
        switch run.options.mode {
        case .blockFormat: try showBlocks(run, in: context)
        case .weightOnly, .staticInteger: try showGrid(run, in: context)
        }
    }

    func showGrid(_ run: QuantizationRun, in context: CommandContext) throws {
        let isStatic = run.options.mode == .staticInteger
        let steps = context.steps(isStatic ? 6 : 5)
        guard let first = run.weightReports.first else { return }

        try steps.begin("Observe the weight ranges")
        let table = Table(columns: [Table.Column("tensor"), Table.Column("shape"), Table.Column("min", alignment: .right),
                                    Table.Column("max", alignment: .right), Table.Column("max|x|", alignment: .right)],
                          rows: run.weightReports.map { r in
                              [r.name, TensorFormatter.describe(shape: r.shape), context.fixed(Double(r.observedMin)),
                               context.fixed(Double(r.observedMax)),
                               context.fixed(Double(max(abs(r.observedMin), abs(r.observedMax))))]
                          })
        context.print(QuantizeViews.indented(table.render(width: context.width - 2, style: context.style)))
        for (tensor, reason) in run.keptInFloat { context.print("  \(tensor) stays fp32: \(reason)") }

        let spec = run.options.weightSpec
        let range = try IntegerRange(bits: spec.bits, scheme: spec.scheme)
        try steps.begin("Scale and zero point of \(first.name) (\(spec), codes \(range.qmin)…\(range.qmax))")
        let derivation = spec.granularity == .channel ? first.derivations[first.workedExample.index.first ?? 0] : first.derivations[0]
        if spec.granularity == .channel {
            context.print("  channel \(first.workedExample.index.first ?? 0) of \(first.derivations.count) (each output channel has its own):")
        }
        context.print(lines: QuantizeViews.formulas(derivation.formulas, context))
        for note in derivation.notes { context.print("  (\(note))") }
        if spec.granularity == .channel {
            let scales = first.scales.sorted()
            context.print("  scales over the channels: min \(QuantizeViews.formatReal(scales.first!)), "
                          + "median \(QuantizeViews.formatReal(scales[scales.count / 2])), max \(QuantizeViews.formatReal(scales.last!))")
        }

        try steps.begin("One weight through quantize and dequantize (round half to even)")
        context.print(lines: QuantizeViews.workedExample(first.workedExample, name: first.name, context))

        try steps.begin("The weights and the grid")
        context.print(lines: QuantizeViews.grid(first.distribution, context))

        if isStatic {
            let method = run.options.calibration.method
            let rows = run.activations.first?.calibration.map { $0.observedCount / max(1, first.shape.last ?? 1) }
            try steps.begin("Calibrate the activations (\(method.rawValue), \(rows.map(String.init) ?? "?") training rows)")
            context.print(QuantizeViews.activationTable(run.activations, context))
            for activation in run.activations {
                guard let calibration = activation.calibration else { continue }
                context.print(lines: QuantizeViews.calibration(calibration, of: activation.name,
                                                             settings: run.options.calibration, context))
            }
        }

        try steps.begin("Error per layer")
        context.print(QuantizeViews.errorTable(run.errorTable, context))
    }

    func showBlocks(_ run: QuantizationRun, in context: CommandContext) throws {
        let steps = context.steps(4)
        guard let first = run.blockReports.first else {
            throw CommandFailure("no weight could be stored in \(run.options.format!.displayName): "
                                 + run.keptInFloat.map { "\($0.name): \($0.reason)" }.joined(separator: "; "))
        }
        let format = first.format
        try steps.begin("Cut every row into blocks of \(BlockFormat.blockSize)")
        for report in run.blockReports {
            context.print("  \(report.name) \(TensorFormatter.describe(shape: report.shape)): \(report.blockCount) blocks")
        }
        for (tensor, reason) in run.keptInFloat { context.print("  \(tensor) stays fp32: \(reason)") }

        try steps.begin("Block 0 of \(first.name): its scale, stored as fp16")
        context.print(lines: QuantizeViews.formulas(first.formulas, context))
        let codes = first.firstBlockCodes.map(String.init).joined(separator: " ")
        context.print("  codes: \(codes)")

        try steps.begin("The bytes of block 0, as llama.cpp writes them")
        let hex = first.firstBlockBytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        context.print("  d (fp16, little-endian): \(hex[0...1].joined(separator: " "))")
        if format == .q4_0 {
            context.print("  nibbles: weight j in the low half of byte j, weight j+16 in the high half")
        }
        context.print("  codes: " + hex[2...].joined(separator: " "))
        context.print("  \(format.bytesPerBlock) bytes per \(BlockFormat.blockSize) weights = "
                      + "\(NumberFormatting.shortest(format.bitsPerWeight)) bits per weight")

        try steps.begin("Error per layer")
        context.print(QuantizeViews.errorTable(run.errorTable, context))
    }
}
