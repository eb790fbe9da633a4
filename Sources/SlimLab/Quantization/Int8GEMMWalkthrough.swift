/// The integer arithmetic of one quantized Dense layer on a tiny example, every number kept:
///
///     y ≈ s_x·s_w·Σₚ (q_x − z_x)(q_w − z_w) + b
///
/// The sum expands into Σ q_x·q_w − z_w·Σ q_x − z_x·Σ q_w + k·z_x·z_w: the last three are the
/// zero-point cross terms (z_w = 0 for symmetric weights drops two; Σ q_w is precomputed per
/// output channel, so only Σ q_x costs anything at run time). The bias enters in accumulator
/// units, b32 = round(b / (s_x·s_w)), and the result is requantized to the next layer's grid
/// with the multiplier M = s_x·s_w / s_y, which integer-only hardware holds as a fixed-point
/// M₀·2⁻ⁿ (M₀ a 31-bit integer, as in gemmlowp and TFLite).
public struct Int8GEMMWalkthrough: Sendable {
    /// One output channel worked through.
    public struct Output: Sendable {
        public var index: Int
        public var weights: [Float]
        public var weightScale: Float
        public var weightCodes: [Int]
        /// Σ q_x·q_w, z_w·Σ q_x, z_x·Σ q_w, k·z_x·z_w and the accumulator they make.
        public var productSum: Int
        public var activationSumTerm: Int
        public var weightSumTerm: Int
        public var constantTerm: Int
        public var accumulator: Int
        public var integerBias: Int
        /// M = s_x·s_w / s_y, and its fixed-point form M₀·2⁻ⁿ.
        public var multiplier: Float
        public var fixedPointMultiplier: Int
        public var fixedPointShift: Int
        public var outputCode: Int
        /// s_y·(q_y − z_y), against the Float layer's y (after ReLU).
        public var reconstructed: Float
        public var floatOutput: Float
        /// The steps with the numbers.
        public var formulas: [Formula]
    }

    public var input: [Float]
    public var inputGrid: QuantizationParameters
    public var inputCodes: [Int]
    public var outputGrid: QuantizationParameters
    public var bias: [Float]
    public var relu: Bool
    public var outputs: [Output]
    /// The input quantization and the zero-point expansion, as formulas.
    public var formulas: [Formula]

    /// The example `formula int8-gemm` shows: four inputs (a negative one, so the zero point is
    /// not trivial), two output channels with symmetric per-channel weights, a fused ReLU.
    public static func example() throws(QuantizationError) -> Int8GEMMWalkthrough {
        try Int8GEMMWalkthrough(input: [0.8, -1.2, 0.3, 2.0],
                                weights: [[0.5, -0.25, 0.1, 0.4], [-0.3, 0.6, 0.2, -0.1]],
                                bias: [0.1, -0.2], outputRange: (0, 2), relu: true)
    }

    /// Works `input` (k values, quantized affine on their own range) through `weights` (rows
    /// of k, symmetric per output channel) and `bias`, requantized to an affine grid over
    /// `outputRange`.
    public init(input: [Float], weights: [[Float]], bias: [Float], outputRange: (min: Float, max: Float),
                relu: Bool, bits: Int = 8) throws(QuantizationError) {
        let k = input.count
        guard k > 0, weights.allSatisfy({ $0.count == k }), bias.count == weights.count else {
            throw .invalidArgument(name: "weights", value: "\(weights.count) rows", allowed: "rows of \(k) and one bias per row")
        }
        let (lo, hi) = input.withUnsafeBufferPointer(minMax)
        let inputDerivation = try QuantizationParameters.derive(min: lo, max: hi, bits: bits, scheme: .affine)
        let sx = inputDerivation.parameters
        let sy = try QuantizationParameters.forRange(min: outputRange.min, max: outputRange.max, bits: bits, scheme: .affine)
        let qx = input.map(sx.quantize)
        let zx = sx.zeroPoint
        self.input = input
        self.inputGrid = sx
        self.inputCodes = qx
        self.outputGrid = sy
        self.bias = bias
        self.relu = relu
        self.formulas = Array(inputDerivation.formulas[2...]) + [
            Formula("q_x = clamp(round(x / s_x) + z_x, q_min, q_max)", terms: Self.listTerms(qx)),
        ]

        var outputs: [Output] = []
        for (j, row) in weights.enumerated() {
            let magnitude = row.map(abs).max() ?? 0
            let sw = try QuantizationParameters.forRange(min: -magnitude, max: magnitude, bits: bits, scheme: .symmetric)
            let qw = row.map(sw.quantize)
            let zw = sw.zeroPoint
            let productSum = zip(qx, qw).reduce(0) { $0 + $1.0 * $1.1 }
            let sumX = qx.reduce(0, +), sumW = qw.reduce(0, +)
            let activationSumTerm = zw * sumX, weightSumTerm = zx * sumW, constantTerm = k * zx * zw
            let accumulator = productSum - activationSumTerm - weightSumTerm + constantTerm
            let accumulatorScale = Double(sx.scale) * Double(sw.scale)
            let integerBias = Int((Double(bias[j]) / accumulatorScale).rounded(.toNearestOrEven))
            let multiplier = (sx.scale * sw.scale) / sy.scale
            let (m0, shift) = Self.fixedPoint(multiplier)
            let scaled = (Float(accumulator + integerBias) * multiplier).rounded(.toNearestOrEven) + Float(sy.zeroPoint)
            let low = Float(relu ? sy.zeroPoint : sy.range.qmin)
            let code = Int(min(max(scaled, low), Float(sy.range.qmax)))
            var y = zip(input, row).reduce(Float(0)) { $0 + $1.0 * $1.1 } + bias[j]
            if relu { y = max(0, y) }
            let reconstructed = sy.dequantize(code)
            let formulas = [
                Formula(symbol: "s_w", symbolic: "max|w| / q_max", template: "{0} / {1}",
                        values: [.real(Double(magnitude)), .integer(sw.range.qmax)], result: .real(Double(sw.scale))),
                Formula("q_w = round(w / s_w)", terms: Self.listTerms(qw)),
                Formula(symbol: "acc", symbolic: "Σ q_x·q_w - z_w·Σ q_x - z_x·Σ q_w + k·z_x·z_w",
                        template: "{0} - {1} - {2} + {3}",
                        values: [.integer(productSum), .integer(activationSumTerm), .integer(weightSumTerm), .integer(constantTerm)],
                        result: .integer(accumulator)),
                Formula(symbol: "b32", symbolic: "round(b / (s_x·s_w))", template: "round({0} / ({1}·{2}))",
                        values: [.real(Double(bias[j])), .real(Double(sx.scale)), .real(Double(sw.scale))],
                        result: .integer(integerBias)),
                Formula(symbol: "M", symbolic: "s_x·s_w / s_y = M0·2^-n", template: "{0}·{1} / {2} = {3}·2^-{4}",
                        values: [.real(Double(sx.scale)), .real(Double(sw.scale)), .real(Double(sy.scale)),
                                 .integer(m0), .integer(shift)],
                        result: .real(Double(multiplier))),
                Formula(symbol: "q_y", symbolic: relu ? "clamp(round((acc + b32)·M) + z_y, z_y, q_max)"
                                                      : "clamp(round((acc + b32)·M) + z_y, q_min, q_max)",
                        template: "clamp(round(({0} + {1})·{2}) + {3}, {4}, {5})",
                        values: [.integer(accumulator), .integer(integerBias), .real(Double(multiplier)),
                                 .integer(sy.zeroPoint), .integer(Int(low)), .integer(sy.range.qmax)],
                        result: .integer(code)),
                Formula(symbol: "ŷ", symbolic: "s_y·(q_y - z_y)", template: "{0}·({1} - {2})",
                        values: [.real(Double(sy.scale)), .integer(code), .integer(sy.zeroPoint)],
                        result: .real(Double(reconstructed))),
                Formula(relu ? "y = max(0, w·x + b) in Float" : "y = w·x + b in Float",
                        terms: [.real(Double(y)), .text("   (ŷ - y = "), .real(Double(reconstructed - y)), .text(")")]),
            ]
            outputs.append(Output(index: j, weights: row, weightScale: sw.scale, weightCodes: qw, productSum: productSum,
                                  activationSumTerm: activationSumTerm, weightSumTerm: weightSumTerm,
                                  constantTerm: constantTerm, accumulator: accumulator, integerBias: integerBias,
                                  multiplier: multiplier, fixedPointMultiplier: m0, fixedPointShift: shift,
                                  outputCode: code, reconstructed: reconstructed, floatOutput: y, formulas: formulas))
        }
        self.outputs = outputs
    }

    /// `[a, b, c]` as formula terms.
    static func listTerms(_ values: [Int]) -> [Formula.Term] {
        var terms: [Formula.Term] = [.text("[")]
        for (i, v) in values.enumerated() {
            if i > 0 { terms.append(.text(", ")) }
            terms.append(.integer(v))
        }
        return terms + [.text("]")]
    }

    /// M as M₀·2⁻ⁿ with M₀ in [2³⁰, 2³¹): the normalized fixed-point multiplier of gemmlowp.
    static func fixedPoint(_ m: Float) -> (Int, Int) {
        guard m > 0, m.isFinite else { return (0, 0) }
        var shift = 0
        var value = Double(m)
        while value < 0.5 { value *= 2; shift += 1 }
        while value >= 1 { value /= 2; shift -= 1 }
        let m0 = Int((value * Double(1 << 31)).rounded())
        return m0 == 1 << 31 ? (1 << 30, shift + 31 - 1) : (m0, shift + 31)
    }
}
