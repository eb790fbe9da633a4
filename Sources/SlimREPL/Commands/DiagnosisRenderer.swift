import Foundation
import SlimLab

/// Prints a `Diagnosis`: how each layer is stored, how far its output moved, the advice, and
/// the deployment parity of a static variant.
struct DiagnosisRenderer {
    let context: CommandContext

    func render(_ diagnosis: Diagnosis) {
        context.print(context.style("diagnose \(diagnosis.floatVariant) → \(diagnosis.compressedVariant) on "
                                    + "\(NumberFormatting.grouped(diagnosis.batchRows)) training rows", .bold))
        let storage = diagnosis.layers.map { layer in
            [layer.layer, layer.bits == 32 ? "fp32" : "int\(layer.bits)", NumberFormatting.percent(layer.sparsity, digits: 1),
             range(layer.weightRange), range(layer.activationRange)]
        }
        context.print(Table(["layer", "weights", "sparsity", "weight range", "output range"], rows: storage)
            .render(width: context.width, style: context.style))
        context.print("error against fp32 (SQNR in dB, higher is better; ▸ worst alone):")
        let errors = diagnosis.layers.sorted { $0.rank < $1.rank }.map { layer in
            [String(layer.rank), layer.layer,
             decibels(layer.isolated.sqnrDecibels), NumberFormatting.fixed(layer.isolated.cosine, digits: 4),
             scientific(layer.isolated.meanSquaredError),
             decibels(layer.accumulated.sqnrDecibels), NumberFormatting.fixed(layer.accumulated.cosine, digits: 4),
             scientific(layer.accumulated.meanSquaredError)]
        }
        let titles = ["rank", "layer", "alone dB", "cos", "MSE", "so far dB", "cos", "MSE"]
        context.print(Table(titles, rows: errors, markedRow: errors.isEmpty ? nil : 0)
            .render(width: context.width, style: context.style))
        if let worst = diagnosis.biggestContributor, let advice = diagnosis.advice {
            context.print(sentence(worst, advice))
        }
        if let parity = diagnosis.parity { render(parity) }
    }

    private func sentence(_ worst: LayerDiagnosis, _ advice: Diagnosis.Advice) -> String {
        let storage = worst.bits == 32 ? "fp32 weights" : "int\(worst.bits) weights"
        let what = "\(worst.layer) contributes most (alone \(decibels(worst.isolated.sqnrDecibels)) dB, \(storage), "
            + "\(NumberFormatting.percent(worst.sparsity, digits: 0)) pruned);\n"
        switch advice {
        case .moreBits: return what + "try: give it more bits (int8), or keep it in fp32."
        case .lessSparsity: return what + "try: prune it less, or fine-tune after pruning."
        case .anotherCalibration: return what + "try: another calibration (calib=minmax|percentile|mse|entropy), or fp32."
        case .excludeLayer: return what + "try: exclude it from compression (keep it in fp32)."
        }
    }

    private func render(_ parity: DeploymentParity) {
        context.print("deployment parity: int8 engine against the fake-quant forward of the same grids")
        let rows = parity.points.map { point in
            [point.name, NumberFormatting.fixed(point.maxDifference, digits: 6),
             point.maxCodeDifference.map(String.init) ?? "—",
             point.maxCodeDifference == nil ? "—" : NumberFormatting.percent(point.differingFraction, digits: 2)]
        }
        context.print(Table(["point", "max |Δ|", "max Δcode", "codes differing"], rows: rows)
            .render(width: context.width, style: context.style))
        if let largest = parity.largest {
            let steps = largest.maxCodeDifference.map { ", \($0) grid step\($0 == 1 ? "" : "s")" } ?? ""
            context.print("largest difference: \(largest.name), \(NumberFormatting.fixed(largest.maxDifference, digits: 6))\(steps)"
                          + (largest.maxDifference == 0 ? " (the two paths agree exactly)" : ""))
        }
    }

    private func range(_ r: ClosedRange<Float>) -> String {
        "[\(NumberFormatting.fixed(r.lowerBound, digits: 3)), \(NumberFormatting.fixed(r.upperBound, digits: 3))]"
    }

    private func decibels(_ value: Double) -> String { NumberFormatting.fixed(value, digits: 1) }

    /// `1.23e-04`; `0` for zero.
    private func scientific(_ value: Double) -> String {
        guard value > 0, value.isFinite else { return NumberFormatting.fixed(value, digits: 0) }
        var exponent = Int((log10(value)).rounded(.down))
        var mantissa = value / pow(10, Double(exponent))
        if NumberFormatting.fixed(mantissa, digits: 2) == "10.00" { mantissa /= 10; exponent += 1 }
        let sign = exponent < 0 ? "-" : "+"
        let digits = String(abs(exponent))
        return NumberFormatting.fixed(mantissa, digits: 2) + "e" + sign + (digits.count < 2 ? "0" + digits : digits)
    }
}
