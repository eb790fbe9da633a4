import SlimLab

/// The pieces every quantization command prints: formulas with their numbers, a worked
/// example, values under the grid, the per-layer error table, the activation ranges.
enum QuantizeViews {
    /// Formulas one per line, indented: `s = max|x| / q_max = 0.9 / 127 = 0.007087`.
    static func formulas(_ formulas: [Formula], _ context: CommandContext, indent: String = "  ") -> [String] {
        formulas.map { indent + $0.rendered(digits: max(4, context.precision)) }
    }

    /// One real weight carried through quantize and dequantize.
    static func workedExample(_ example: QuantizationWorkedExample, name: String, _ context: CommandContext) -> [String] {
        let index = example.index.map(String.init).joined(separator: ", ")
        var lines = ["  x = \(name)[\(index)] = \(formatted(example.x, context))"]
        lines += formulas(example.formulas, context)
        var notes: [String] = []
        if example.isTie { notes.append("x/s lies exactly halfway: rounding half to even decides") }
        if example.wasClamped { notes.append("round(x/s) + z fell outside the range and was clamped") }
        lines += notes.map { "  (\($0))" }
        return lines
    }

    /// The values of `overlay` as a histogram, with the grid's levels marked when there are
    /// few enough to draw.
    static func grid(_ overlay: GridOverlay, _ context: CommandContext) -> [String] {
        var histogram = Histogram(counts: overlay.histogram.counts, lowerBound: Double(overlay.histogram.lower),
                                  upperBound: Double(overlay.histogram.upper))
        let levels = overlay.gridValues.count
        let inside = overlay.gridPointsPerBin.reduce(0, +)
        if levels <= 2 * overlay.histogram.binCount / 3 {
            histogram.markers = overlay.gridValues.map(Double.init)
            histogram.markerLegend = "the \(levels) values the codes can represent"
        }
        var lines = ["  \(overlay.scope): \(overlay.histogram.total) values in \(overlay.histogram.binCount) bins"]
        lines += histogram.render(height: 6, digits: context.precision, style: context.style)
            .split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        if histogram.markers.isEmpty {
            lines.append("  \(levels) grid values (\(inside) inside the plotted range): too dense to draw, "
                         + "about \(NumberFormatting.fixed(Double(inside) / Double(max(1, overlay.histogram.binCount)), digits: 1)) per bin")
        }
        return lines
    }

    /// The per-layer error table.
    static func errorTable(_ rows: [LayerQuantizationError], _ context: CommandContext) -> String {
        let table = Table(
            columns: [Table.Column("tensor"), Table.Column("format"), Table.Column("MSE", alignment: .right),
                      Table.Column("max |x-x̂|", alignment: .right), Table.Column("SQNR dB", alignment: .right),
                      Table.Column("clipped", alignment: .right), Table.Column("fp32", alignment: .right),
                      Table.Column("stored", alignment: .right)],
            rows: rows.map { row in
                [row.name, row.format, scientific(row.metrics.meanSquaredError),
                 context.fixed(row.metrics.maxAbsoluteError), decibels(row.metrics.sqnrDecibels),
                 NumberFormatting.percent(row.metrics.clippedFraction), NumberFormatting.bytes(row.floatBytes),
                 NumberFormatting.bytes(row.storedBytes)]
            })
        return indented(table.render(width: context.width - 2, style: context.style))
    }

    /// The activation grids: observed and chosen ranges, clipping, scale and zero point.
    static func activationTable(_ activations: [ActivationQuantization], _ context: CommandContext) -> String {
        let table = Table(
            columns: [Table.Column("activation"), Table.Column("observed", alignment: .right),
                      Table.Column("range", alignment: .right), Table.Column("clipped", alignment: .right),
                      Table.Column("s", alignment: .right), Table.Column("z", alignment: .right)],
            rows: activations.map { a in
                let c = a.calibration
                let observed = c.map { "[\(context.fixed(Double($0.observedMin))), \(context.fixed(Double($0.observedMax)))]" } ?? "-"
                return [a.name, observed,
                        "[\(context.fixed(Double(a.derivation.min))), \(context.fixed(Double(a.derivation.max)))]",
                        c.map { NumberFormatting.percent($0.clippedFraction, digits: 3) } ?? "-",
                        formatReal(a.parameters.scale), String(a.parameters.zeroPoint)]
            })
        return indented(table.render(width: context.width - 2, style: context.style))
    }

    /// How one activation's range was chosen, in words with the numbers, and the search curve
    /// of mse and entropy as a sparkline.
    static func calibration(_ result: CalibrationResult, of name: String, settings: CalibrationSettings,
                            _ context: CommandContext) -> [String] {
        let count = NumberFormatting.grouped(result.observedCount)
        switch result.method {
        case .minmax:
            return []
        case .movingavg:
            return ["  \(name): from the first batch's [min, max], then min ← min + \(settings.movingAverageConstant)·(batch min − min) "
                    + "(the same for max) → [\(formatReal(result.min)), \(formatReal(result.max))]"]
        case .percentile:
            guard let t = result.threshold else { return [] }
            return ["  \(name): T = the \(NumberFormatting.shortest(settings.percentile))th percentile of |x| "
                    + "over \(count) values = \(formatReal(t)) (the upper edge of its histogram bin)"]
        case .mse, .entropy:
            guard let t = result.threshold, let first = result.searchCurve.first, let last = result.searchCurve.last else { return [] }
            let label = result.method == .entropy ? "KL(P || Q_T)" : "MSE(T)"
            let costs = result.searchCurve.map { $0.cost.isFinite ? $0.cost : .nan }
            return ["  \(name): T = argmin \(label) over \(result.searchCurve.count) candidates = \(formatReal(t))",
                    "    \(formatReal(first.threshold)) " + Sparkline.render(costs, maxWidth: min(48, max(12, context.width - 30)))
                    + " \(formatReal(last.threshold))"]
        }
    }

    static func formatted(_ x: Float, _ context: CommandContext) -> String {
        formatReal(Double(x), digits: max(4, context.precision))
    }

    static func formatReal(_ x: Float) -> String { formatReal(Double(x)) }

    static func formatReal(_ x: Double, digits: Int = 4) -> String {
        Formula.Value.real(x).formatted(digits: digits)
    }

    static func scientific(_ x: Double) -> String {
        x == 0 ? "0" : formatReal(x, digits: 3)
    }

    static func decibels(_ x: Double) -> String {
        x.isInfinite ? (x > 0 ? "inf" : "-inf") : NumberFormatting.fixed(x, digits: 1)
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

extension QuantizationScheme: ArgumentValue {}
extension QuantizationGranularity: ArgumentValue {}
extension BlockFormat: ArgumentValue {}
extension CalibrationMethod: ArgumentValue {}
