import SlimKernels

/// The int8 conventions of the tools a learner will meet, each reproduced as that tool
/// computes it, so the same tensor can be quantized four ways side by side.
public enum QuantizationConvention: String, CaseIterable, Sendable {
    /// PyTorch `qint8` with `torch.per_tensor_symmetric`: range [−128, 127],
    /// s = max|x| / ((127 − (−128))/2) = max|x|/127.5, q = nearbyint(x · (1/s)) (half to even).
    case pytorch
    /// TFLite's symmetric int8 weights (`SymmetricQuantizeFloats`): range [−127, 127],
    /// s = max|x|/127, q = round(x · (127/max|x|)) (C's `round`: half away from zero).
    case tflite
    /// SlimLab's affine int8: [min, max] widened to include 0, s = (max − min)/255,
    /// z = clamp(−128 − round(min/s)), q = clamp(round(x/s) + z) (half to even).
    case affine
    /// ggml's Q8_0: a scale per block of 32, d = max|x|/127 stored as fp16, q = roundf(x · (1/d)).
    case ggmlQ8_0 = "ggml-q8_0"

    /// How tables name the convention.
    public var title: String {
        switch self {
        case .pytorch: return "PyTorch"
        case .tflite: return "TFLite"
        case .affine: return "affine"
        case .ggmlQ8_0: return "ggml Q8_0"
        }
    }

    /// The scale rule in a few characters, for tables.
    public var scaleRule: String {
        switch self {
        case .pytorch: return "max|x|/127.5"
        case .tflite: return "max|x|/127"
        case .affine: return "(max-min)/255"
        case .ggmlQ8_0: return "max|x|/127 per 32"
        }
    }

    /// The rounding rule the tool applies.
    public var rounding: String {
        switch self {
        case .pytorch, .affine: return "half-even"
        case .tflite, .ggmlQ8_0: return "half-away"
        }
    }
}

/// One tensor under one convention.
public struct ConventionResult: Sendable {
    public var convention: QuantizationConvention
    /// The integer range, as text ("[-128, 127]").
    public var integerRange: ClosedRange<Int>
    /// The scale formula with the tensor's numbers (for ggml: block 0's d).
    public var scaleFormula: Formula
    /// The scale (block 0's stored fp16 d for ggml) and zero point.
    public var scale: Float
    public var zeroPoint: Int
    /// How many scales the tensor needs (1, or the block count).
    public var scaleCount: Int
    /// The codes and reconstructions of the report's sample elements.
    public var sampleCodes: [Int]
    public var sampleReconstructed: [Float]
    public var metrics: QuantizationErrorMetrics
    public var storedBytes: Int
}

/// A tensor quantized under every convention, with sample elements chosen to show where and
/// why their integers differ.
public struct ConventionsReport: Sendable {
    public var name: String
    public var shape: [Int]
    public var observedMin: Float
    public var observedMax: Float
    /// Flat indices of the sample elements and their values.
    public var sampleIndices: [Int]
    public var sampleValues: [Float]
    /// One row per convention that applies (ggml Q8_0 needs rows that are multiples of 32).
    public var rows: [ConventionResult]
    /// The reasons the integers differ, with this tensor's numbers.
    public var notes: [String]
    /// Conventions that could not be applied, and why.
    public var skipped: [(QuantizationConvention, String)]

    /// Quantizes `tensor` under each convention. The samples are the element of largest
    /// magnitude (where the conventions disagree most visibly), the smallest, a typical one
    /// (90th percentile of |x|), and the first elements, up to `sampleCount` distinct indices.
    public init(name: String, tensor: Tensor<Float>, sampleCount: Int = 6) throws(QuantizationError) {
        guard tensor.count > 0 else { throw .emptyTensor(name) }
        let (lo, hi) = tensor.withUnsafeBufferPointer(minMax)
        guard lo.isFinite, hi.isFinite else { throw .nonFiniteRange(min: lo, max: hi) }
        let x = tensor.scalars
        let magnitude = max(abs(lo), abs(hi))

        var samples: [Int] = []
        func add(_ i: Int) { if samples.count < sampleCount && !samples.contains(i) { samples.append(i) } }
        add(x.indices.max { abs(x[$0]) < abs(x[$1]) } ?? 0)
        add(x.indices.min { x[$0] < x[$1] } ?? 0)
        add(tensor.withUnsafeBufferPointer(QuantizationWorkedExample.representativeIndex(in:)))
        for i in x.indices { add(i) }

        var rows: [ConventionResult] = []
        var skipped: [(QuantizationConvention, String)] = []
        for convention in QuantizationConvention.allCases {
            do {
                rows.append(try Self.apply(convention, to: tensor, magnitude: magnitude, min: lo, max: hi, samples: samples))
            } catch {
                skipped.append((convention, error.description))
            }
        }
        self.name = name
        self.shape = tensor.shape
        self.observedMin = lo
        self.observedMax = hi
        self.sampleIndices = samples
        self.sampleValues = samples.map { x[$0] }
        self.rows = rows
        self.skipped = skipped
        self.notes = Self.explain(rows: rows, magnitude: magnitude, extremeIsNegative: abs(lo) > abs(hi))
    }

    private static func apply(_ convention: QuantizationConvention, to tensor: Tensor<Float>, magnitude: Float,
                              min lo: Float, max hi: Float, samples: [Int]) throws(QuantizationError) -> ConventionResult {
        let n = tensor.count
        switch convention {
        case .pytorch, .tflite:
            let qmin = convention == .pytorch ? -128 : -127
            let divisor: Float = convention == .pytorch ? 127.5 : 127
            let scale = magnitude > 0 ? magnitude / divisor : 1
            // PyTorch multiplies by 1/s and rounds half to even; TFLite multiplies by
            // 127/max|x| and rounds half away from zero.
            let multiplier: Float = convention == .pytorch ? 1 / scale : (magnitude > 0 ? 127 / magnitude : 0)
            let rule: FloatingPointRoundingRule = convention == .pytorch ? .toNearestOrEven : .toNearestOrAwayFromZero
            let code = { (v: Float) -> Int in
                Int(Swift.min(127, Swift.max(Float(qmin), (v * multiplier).rounded(rule))))
            }
            var clipped = 0
            let reconstructed = Tensor<Float>(shape: tensor.shape) { out in
                tensor.withUnsafeBufferPointer { x in
                    for i in 0..<n {
                        let raw = (x[i] * multiplier).rounded(rule)
                        if raw > 127 || raw < Float(qmin) { clipped += 1 }
                        out[i] = Float(code(x[i])) * scale
                    }
                }
            }
            let formula = Formula(symbol: "s", symbolic: "max|x| / \(convention == .pytorch ? "127.5" : "127")",
                                  template: "{0} / \(convention == .pytorch ? "127.5" : "127")",
                                  values: [.real(Double(magnitude))], result: .real(Double(scale)))
            return ConventionResult(convention: convention, integerRange: qmin...127, scaleFormula: formula,
                                    scale: scale, zeroPoint: 0, scaleCount: 1,
                                    sampleCodes: samples.map { code(tensor[flat: $0]) },
                                    sampleReconstructed: samples.map { Float(code(tensor[flat: $0])) * scale },
                                    metrics: QuantizationErrorMetrics(original: tensor, reconstructed: reconstructed,
                                                                      clippedCount: clipped),
                                    storedBytes: n + 4)
        case .affine:
            let derivation = try QuantizationParameters.derive(min: lo, max: hi, bits: 8, scheme: .affine)
            let p = derivation.parameters
            let outcome = QuantizedTensor.quantize(tensor, parameters: [p], spec: QuantizationSpec(bits: 8, scheme: .affine))
            let reconstructed = outcome.quantized.dequantized()
            return ConventionResult(convention: convention, integerRange: p.range.qmin...p.range.qmax,
                                    scaleFormula: derivation.formulas[2], scale: p.scale, zeroPoint: p.zeroPoint,
                                    scaleCount: 1,
                                    sampleCodes: samples.map { p.quantize(tensor[flat: $0]) },
                                    sampleReconstructed: samples.map { reconstructed[flat: $0] },
                                    metrics: QuantizationErrorMetrics(original: tensor, reconstructed: reconstructed,
                                                                      clippedCount: outcome.clippedCount),
                                    storedBytes: outcome.quantized.storedBytes)
        case .ggmlQ8_0:
            let report = try BlockQuantizationReport(name: "", tensor: tensor, format: .q8_0)
            let qk = BlockFormat.blockSize
            return ConventionResult(convention: convention, integerRange: -127...127,
                                    scaleFormula: report.formulas[0], scale: report.firstBlockStoredScale,
                                    zeroPoint: 0, scaleCount: report.blockCount,
                                    sampleCodes: samples.map { report.quantized.codes(ofBlock: $0 / qk)[$0 % qk] },
                                    sampleReconstructed: samples.map { report.dequantized[flat: $0] },
                                    metrics: report.metrics, storedBytes: report.storedBytes)
        }
    }

    private static func explain(rows: [ConventionResult], magnitude: Float, extremeIsNegative: Bool) -> [String] {
        var notes: [String] = []
        if let pytorch = rows.first(where: { $0.convention == .pytorch }),
           let tflite = rows.first(where: { $0.convention == .tflite }) {
            notes.append("PyTorch divides max|x| by 127.5, TFLite by 127: PyTorch's step is "
                + "\(formatReal(Double(pytorch.scale), digits: 4)), TFLite's \(formatReal(Double(tflite.scale), digits: 4)), "
                + "so large codes differ by about 0.4 %.")
            let sign: Float = extremeIsNegative ? -1 : 1
            let scaled = sign * magnitude * (1 / pytorch.scale)
            let pytorchCode = pytorch.sampleCodes.first ?? 0
            let tfliteCode = tflite.sampleCodes.first ?? 0
            let fate = scaled.rounded(.toNearestOrEven) > 127
                ? "which rounds to 128 and is clamped to 127 (PyTorch's range stops at 127)"
                : "which rounds half to even to \(pytorchCode)"
            notes.append("The extreme x = \(formatReal(Double(sign * magnitude), digits: 4)) gives x·(1/s) = "
                + "\(formatReal(Double(scaled), digits: 8)) under PyTorch, \(fate); TFLite maps it to \(tfliteCode).")
        }
        if let affine = rows.first(where: { $0.convention == .affine }) {
            notes.append("Affine shifts every code by the zero point z = \(affine.zeroPoint) and spends all 256 codes on "
                + "[min, max], so its step is finer when the range is lopsided.")
        }
        if let ggml = rows.first(where: { $0.convention == .ggmlQ8_0 }) {
            notes.append("ggml Q8_0 has \(ggml.scaleCount) scales, one per block of 32 (stored as fp16): a weight's code "
                + "depends on its block's largest magnitude, not the tensor's.")
        }
        _ = magnitude
        return notes
    }
}
