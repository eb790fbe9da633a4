/// The steps `qat` shows, from its `QATRun`: prepare (where fake quantization goes), fine-tune
/// (the accuracy per epoch against fp32), convert (the tracked ranges and the weight error).
extension QATRun {
    /// The steps; `layers` are the prepared model's layers, `fp32` the source's test accuracy.
    func steps(preparedLayers layers: [String], fp32: Double?) -> [TechniqueStep] {
        let start = initialAccuracy ?? 0, fp32 = fp32 ?? 0
        let grid = (try? IntegerRange(bits: options.bits, scheme: options.scheme)).map { "\($0.qmin), \($0.qmax)" } ?? "?"
        let activationBits = options.effectiveActivationBits
        var prepare = TechniqueStep(title: "Prepare: fake quantization in the forward pass")
        prepare.items += [
            .line(Phrase("layers: " + layers.joined(separator: " → "))),
            .line(Phrase("weights: Ŵ = s·(clamp(round(W/s), \(grid))), s from the weights at every step (per \(options.granularity.rawValue))")),
            .line(Phrase("activations: x̂ = s·(clamp(round(x/s) + z, \(-(1 << (activationBits - 1))), \((1 << (activationBits - 1)) - 1)) - z), "
                         + "range by moving average (c = 0.01)")),
            .line("backward (straight-through): ∂L/∂x = ∂L/∂x̂ where x is inside the grid's range, 0 outside"),
            .line("accuracy of the fake-quantized model before fine-tuning: \(percent: start) (fp32 \(percent: fp32))"),
        ]

        var fineTune = TechniqueStep(title: "Fine-tune with the straight-through estimator")
        let rows: [[Phrase]] = [["0", "-", "-", "\(percent: start)", Phrase(.points((start - fp32) * 100))]]
            + training.epochs.map { e in
                [Phrase(String(e.epoch)), "\(fixed: e.loss)", "\(percent: e.trainAccuracy)",
                 e.testAccuracy.map { "\(percent: $0)" } ?? "-", e.testAccuracy.map { Phrase(.points(($0 - fp32) * 100)) } ?? "-"]
            }
        fineTune.items.append(.table(TechniqueTable(
            columns: ["epoch", "loss", "train acc", "test acc", "vs fp32"].map { .init(title: $0, alignment: .right) }, rows: rows)))
        let curve = ([start] + training.epochs.compactMap(\.testAccuracy)).map { $0 * 100 }
        fineTune.items.append(.curve(TechniqueCurve(label: "test accuracy: ", values: curve, digits: 2)))

        var convert = TechniqueStep(title: "Convert: the learned weights and tracked ranges into the int8 engine")
        convert.items.append(.table(QuantizationRun.activationTable(activations)))
        convert.items.append(.table(QuantizationRun.errorTable(weightReports.map(\.errorRow))))
        return [prepare, fineTune, convert]
    }
}
