import SlimKernels

/// `formula quantize|int8-gemm|q4_0|ste`: quantization's rules, worked with the current
/// model's first Dense weight where there is one, with a small fixed example otherwise.
extension FormulaSheet {
    /// The sheet for `topic`, with numbers from `model` (named `modelName`) when it has a Dense
    /// layer, from a small fixed example otherwise.
    static func quantizationSheet(_ topic: FormulaTopic, model: Model?, modelName: String?) -> FormulaSheet {
        var sheet = FormulaSheet(topic: topic, definitions: quantizationDefinitions(topic))
        let weight = model?.layers.lazy.compactMap { $0 as? Dense }.first
        switch topic {
        case .quantize:
            guard let dense = weight, let report = try? TensorQuantizationReport(
                name: "\(dense.name).weight", tensor: dense.weight, spec: QuantizationSpec(bits: 8)) else {
                sheet.hint = "make a model ('model new mlp 64-64-10') to see this rule with its weights"
                return sheet
            }
            sheet.context = "\(report.name) of \(modelName ?? "the current model"), int8 symmetric per tensor"
            sheet.groups = [FormulaGroup(report.derivations[0].formulas),
                            FormulaGroup(report.workedExample.formulas, heading: "one weight, \(report.name)["
                                + report.workedExample.index.map(String.init).joined(separator: ", ") + "]")]
        case .int8GEMM:
            guard let walkthrough = try? Int8GEMMWalkthrough.example() else { return sheet }
            sheet.context = "a tiny layer: x = [0.8, -1.2, 0.3, 2.0], two output channels, bias [0.1, -0.2], ReLU fused, "
                + "output grid over [0, 2]"
            sheet.groups = [FormulaGroup(walkthrough.formulas, heading: "the input, affine int8")]
                + walkthrough.outputs.map { FormulaGroup($0.formulas, heading: "output \($0.index): w = ["
                    + $0.weights.map { formatReal(Double($0), digits: 4) }.joined(separator: ", ") + "]") }
        case .q4_0:
            guard let dense = weight, let report = try? BlockQuantizationReport(
                name: "\(dense.name).weight", tensor: dense.weight, format: .q4_0) else {
                sheet.hint = "make a model whose first Dense layer has rows of a multiple of 32 inputs to see this rule with its weights"
                return sheet
            }
            sheet.context = "block 0 of \(report.name) of \(modelName ?? "the current model")"
            sheet.setWorked(report.formulas)
        case .ste:
            let grid = QuantizationParameters(scale: 0.25, zeroPoint: 0,
                                              range: (try? IntegerRange(bits: 3, scheme: .symmetric)) ?? IntegerRange(bits: 3, qmin: -3, qmax: 3))
            sheet.context = "a 3-bit symmetric grid with s = 0.25: codes -3…3, representable [-0.75, 0.75]"
            sheet.setWorked([Float(0.6), 0.8, -0.9].map { x in
                let q = grid.quantize(x)
                let inside = grid.representableRange.contains(x)
                return Formula("x = \(formatReal(Double(x), digits: 4)) → x̂ = \(formatReal(Double(grid.dequantize(q)), digits: 4)), "
                               + (inside ? "inside [-0.75, 0.75]: ∂L/∂x = ∂L/∂x̂ (passes through)"
                                         : "outside [-0.75, 0.75], clamped: ∂L/∂x = 0"), terms: [])
            })
        default:
            break
        }
        return sheet
    }

    static func quantizationDefinitions(_ topic: FormulaTopic) -> [String] {
        switch topic {
        case .quantize:
            return ["q = clamp(round(x / s) + z, q_min, q_max)      round: half to even",
                    "x̂ = s·(q − z)",
                    "affine:    s = (max − min)/(q_max − q_min),  z = clamp(q_min − round(min/s)),  [min, max] widened to include 0",
                    "symmetric: s = max|x| / q_max,  z = 0,  codes −(2^(b−1) − 1) … 2^(b−1) − 1"]
        case .int8GEMM:
            return ["y ≈ s_x·s_w·Σ (q_x − z_x)(q_w − z_w) + b",
                    "Σ (q_x − z_x)(q_w − z_w) = Σ q_x·q_w − z_w·Σ q_x − z_x·Σ q_w + k·z_x·z_w      (int32, exact)",
                    "b32 = round(b / (s_x·s_w))      the bias in accumulator units",
                    "q_y = clamp(round((acc + b32)·M) + z_y, z_y under ReLU, q_max),   M = s_x·s_w / s_y = M0·2^−n"]
        case .q4_0:
            return ["per block of 32:  m = the value of largest magnitude,  d = m / −8  (stored as fp16)",
                    "q = min(15, ⌊x / d + 8.5⌋) ∈ 0…15,   x̂ = d·(q − 8)",
                    "bytes: 2 (d) + 16 (two codes per byte: weight j low nibble, j + 16 high) = 18 per 32 → 4.5 bits per weight"]
        case .ste:
            return ["forward:  x̂ = s·(clamp(round(x/s) + z, q_min, q_max) − z)",
                    "backward: ∂L/∂x = ∂L/∂x̂ where s·(q_min − z) ≤ x ≤ s·(q_max − z), else 0",
                    "round() has zero slope almost everywhere; the estimator treats it as the identity"]
        default:
            return []
        }
    }
}
