/// The steps `quantize` shows, from its `QuantizationRun`: the weight ranges, scale and zero
/// point with their numbers, a worked example, the grid, the calibration of activations
/// (static) or the block bytes (Q8_0/Q4_0), and the error per layer.
extension QuantizationRun {
    var steps: [TechniqueStep] {
        switch options.mode {
        case .blockFormat: return blockSteps
        case .weightOnly, .staticInteger: return gridSteps
        }
    }

    private var gridSteps: [TechniqueStep] {
        guard let first = weightReports.first else { return [] }
        var steps: [TechniqueStep] = []

        var ranges = TechniqueStep(title: "Observe the weight ranges")
        ranges.items.append(.table(TechniqueTable(
            columns: [.init(title: "tensor"), .init(title: "shape"), .init(title: "min", alignment: .right), .init(title: "max", alignment: .right),
                      .init(title: "max|x|", alignment: .right)],
            rows: weightReports.map { r in
                [Phrase(r.name), Phrase(ModelError.shapeText(r.shape)), "\(fixed: Double(r.observedMin))",
                 "\(fixed: Double(r.observedMax))", "\(fixed: Double(max(abs(r.observedMin), abs(r.observedMax))))"]
            })))
        ranges.items += keptInFloatLines
        steps.append(ranges)

        let spec = options.weightSpec
        let range = (try? IntegerRange(bits: spec.bits, scheme: spec.scheme)).map { "\($0.qmin)…\($0.qmax)" } ?? "?"
        var scale = TechniqueStep(title: "Scale and zero point of \(first.name) (\(spec), codes \(range))")
        let channel = first.workedExample.index.first ?? 0
        let derivation = spec.granularity == .channel ? first.derivations[channel] : first.derivations[0]
        if spec.granularity == .channel {
            scale.items.append(.line("channel \(channel) of \(first.derivations.count) (each output channel has its own):"))
        }
        scale.items += derivation.formulas.map(TechniqueItem.formula)
        scale.items += derivation.notes.map { .line(Phrase("(\($0))")) }
        if spec.granularity == .channel {
            let scales = first.scales.sorted()
            let (low, median, high) = (Double(scales.first!), Double(scales[scales.count / 2]), Double(scales.last!))
            scale.items.append(.line("scales over the channels: min \(significant: low, digits: 4), "
                                     + "median \(significant: median, digits: 4), max \(significant: high, digits: 4)"))
        }
        steps.append(scale)

        var worked = TechniqueStep(title: "One weight through quantize and dequantize (round half to even)")
        worked.items += first.workedExample.items(name: first.name)
        steps.append(worked)

        var grid = TechniqueStep(title: "The weights and the grid")
        grid.items.append(first.distribution.item)
        steps.append(grid)

        if options.mode == .staticInteger {
            let rows = activations.first?.calibration.map { $0.observedCount / max(1, first.shape.last ?? 1) }
            let method = options.calibration.method.rawValue
            var calibrate = TechniqueStep(title: "Calibrate the activations (\(method), \(rows.map(String.init) ?? "?") training rows)",
                                          isResult: true)
            calibrate.items.append(.table(Self.activationTable(activations)))
            for activation in activations {
                guard let calibration = activation.calibration else { continue }
                calibrate.items += calibration.items(of: activation.name, settings: options.calibration)
            }
            steps.append(calibrate)
        }

        steps.append(TechniqueStep(title: "Error per layer", items: [.table(Self.errorTable(errorTable))], isResult: true))
        return steps
    }

    private var blockSteps: [TechniqueStep] {
        guard let first = blockReports.first else { return [] }
        let format = first.format
        var cut = TechniqueStep(title: "Cut every row into blocks of \(BlockFormat.blockSize)")
        cut.items += blockReports.map { .line(Phrase("\($0.name) \(ModelError.shapeText($0.shape)): \($0.blockCount) blocks")) }
        cut.items += keptInFloatLines

        var scale = TechniqueStep(title: "Block 0 of \(first.name): its scale, stored as fp16")
        scale.items += first.formulas.map(TechniqueItem.formula)
        scale.items.append(.line(Phrase("codes: " + first.firstBlockCodes.map(String.init).joined(separator: " "))))

        var bytes = TechniqueStep(title: "The bytes of block 0, as llama.cpp writes them")
        let hex = first.firstBlockBytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        bytes.items.append(.line(Phrase("d (fp16, little-endian): \(hex[0...1].joined(separator: " "))")))
        if format == .q4_0 {
            bytes.items.append(.line("nibbles: weight j in the low half of byte j, weight j+16 in the high half"))
        }
        bytes.items.append(.line(Phrase("codes: " + hex[2...].joined(separator: " "))))
        bytes.items.append(.line("\(format.bytesPerBlock) bytes per \(BlockFormat.blockSize) weights = \(setting: format.bitsPerWeight) bits per weight"))

        let error = TechniqueStep(title: "Error per layer", items: [.table(Self.errorTable(errorTable))], isResult: true)
        return [cut, scale, bytes, error]
    }

    private var keptInFloatLines: [TechniqueItem] {
        keptInFloat.map { .line(Phrase("\($0.name) stays fp32: \($0.reason)")) }
    }

    /// The per-layer error table.
    static func errorTable(_ rows: [LayerQuantizationError]) -> TechniqueTable {
        TechniqueTable(
            columns: [.init(title: "tensor"), .init(title: "format", overflow: .drop), .init(title: "MSE", alignment: .right),
                      .init(title: "max |x-x̂|", alignment: .right), .init(title: "SQNR dB", alignment: .right),
                      .init(title: "clipped", alignment: .right, overflow: .drop), .init(title: "fp32", alignment: .right),
                      .init(title: "stored", alignment: .right)],
            rows: rows.map { row in
                [Phrase(row.name), Phrase(row.format), "\(significant: row.metrics.meanSquaredError, digits: 3)",
                 "\(fixed: row.metrics.maxAbsoluteError)", "\(fixed: row.metrics.sqnrDecibels, digits: 1)",
                 "\(percent: row.metrics.clippedFraction)", "\(bytes: row.floatBytes)", "\(bytes: row.storedBytes)"]
            })
    }

    /// The activation grids: observed and chosen ranges, clipping, scale and zero point.
    static func activationTable(_ activations: [ActivationQuantization]) -> TechniqueTable {
        TechniqueTable(
            columns: [.init(title: "activation"), .init(title: "observed", alignment: .right), .init(title: "range", alignment: .right),
                      .init(title: "clipped", alignment: .right), .init(title: "s", alignment: .right), .init(title: "z", alignment: .right)],
            rows: activations.map { a in
                let c = a.calibration
                let observed: Phrase = c.map { "[\(fixed: Double($0.observedMin)), \(fixed: Double($0.observedMax))]" } ?? "-"
                return [Phrase(a.name), observed, "[\(fixed: Double(a.derivation.min)), \(fixed: Double(a.derivation.max))]",
                        c.map { "\(percent: $0.clippedFraction, digits: 3)" } ?? "-",
                        "\(significant: Double(a.parameters.scale), digits: 4)", Phrase(String(a.parameters.zeroPoint))]
            })
    }
}

extension QuantizationWorkedExample {
    /// One real weight carried through quantize and dequantize: `x = name[i, j] = …`, the
    /// formulas, and a note when rounding ties or clamping decided.
    func items(name: String) -> [TechniqueItem] {
        var items: [TechniqueItem] = [.line("x = \(name)[\(index.map(String.init).joined(separator: ", "))] = \(significant: Double(x))")]
        items += formulas.map(TechniqueItem.formula)
        if isTie { items.append(.line("(x/s lies exactly halfway: rounding half to even decides)")) }
        if wasClamped { items.append(.line("(round(x/s) + z fell outside the range and was clamped)")) }
        return items
    }
}

extension GridOverlay {
    /// The values as a histogram, with the grid's levels marked when there are few enough to draw.
    var item: TechniqueItem {
        let levels = gridValues.count
        let inside = gridPointsPerBin.reduce(0, +)
        let drawn = levels <= 2 * histogram.binCount / 3
        return .histogram(TechniqueHistogram(
            title: "\(scope): \(histogram.total) values in \(histogram.binCount) bins",
            counts: histogram.counts, lower: Double(histogram.lower), upper: Double(histogram.upper),
            markers: drawn ? gridValues.map(Double.init) : [],
            markerLegend: drawn ? "the \(levels) values the codes can represent" : nil, height: 6,
            caption: drawn ? nil : "\(levels) grid values (\(inside) inside the plotted range): too dense to draw, "
                + "about \(fixed: Double(inside) / Double(max(1, histogram.binCount)), digits: 1) per bin"))
    }
}

extension CalibrationResult {
    /// How one activation's range was chosen, in words with the numbers, and the search curve
    /// of mse and entropy.
    func items(of name: String, settings: CalibrationSettings) -> [TechniqueItem] {
        switch method {
        case .minmax:
            return []
        case .movingavg:
            return [.line("\(name): from the first batch's [min, max], then min ← min + \(settings.movingAverageConstant.description)·(batch min − min) "
                          + "(the same for max) → [\(significant: Double(min), digits: 4), \(significant: Double(max), digits: 4)]")]
        case .percentile:
            guard let t = threshold else { return [] }
            return [.line("\(name): T = the \(setting: settings.percentile)th percentile of |x| "
                          + "over \(count: observedCount) values = \(significant: Double(t), digits: 4) (the upper edge of its histogram bin)")]
        case .mse, .entropy:
            guard let t = threshold, let first = searchCurve.first, let last = searchCurve.last else { return [] }
            let label = method == .entropy ? "KL(P || Q_T)" : "MSE(T)"
            return [.line("\(name): T = argmin \(label) over \(searchCurve.count) candidates = \(significant: Double(t), digits: 4)"),
                    .curve(TechniqueCurve(label: "  ", values: searchCurve.map { $0.cost.isFinite ? $0.cost : .nan },
                                          start: .significant(Double(first.threshold), digits: 4),
                                          end: .significant(Double(last.threshold), digits: 4)))]
        }
    }
}
