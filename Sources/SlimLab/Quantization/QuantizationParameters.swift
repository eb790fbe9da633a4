/// A scale and zero point on an integer range: the map between reals and codes.
///
///     q = clamp(round(x / s) + z, q_min, q_max)        x̂ = s · (q − z)
///
/// `round` is round-half-to-even (banker's rounding, IEEE 754's default and what PyTorch's
/// `torch.round` does): 2.5 → 2, 3.5 → 4, −2.5 → −2. Rounding happens before `z` is added,
/// as the formula says; with an odd zero point that differs from rounding `x/s + z`.
public struct QuantizationParameters: Sendable, Equatable {
    /// The step between neighbouring codes, in the units of x (always > 0).
    public var scale: Float
    /// The code that represents the real number 0 exactly.
    public var zeroPoint: Int
    /// The codes allowed.
    public var range: IntegerRange

    public init(scale: Float, zeroPoint: Int, range: IntegerRange) {
        precondition(scale > 0 && scale.isFinite, "QuantizationParameters: scale \(scale) must be positive and finite")
        precondition(zeroPoint >= range.qmin && zeroPoint <= range.qmax,
                     "QuantizationParameters: zero point \(zeroPoint) outside [\(range.qmin), \(range.qmax)]")
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.range = range
    }

    /// round(x / s) + z before clamping, as a Float (it may lie far outside the range).
    @inlinable
    public func unclampedCode(_ x: Float) -> Float {
        (x / scale).rounded(.toNearestOrEven) + Float(zeroPoint)
    }

    /// q = clamp(round(x / s) + z, q_min, q_max). NaN maps to q_min, as in SlimKernels.
    @inlinable
    public func quantize(_ x: Float) -> Int {
        let q = unclampedCode(x)
        if q.isNaN { return range.qmin }
        if q <= Float(range.qmin) { return range.qmin }
        if q >= Float(range.qmax) { return range.qmax }
        return Int(q)
    }

    /// x̂ = s · (q − z).
    @inlinable
    public func dequantize(_ q: Int) -> Float {
        scale * Float(q - zeroPoint)
    }

    /// The real numbers the grid can represent, from q_min to q_max.
    public var gridValues: [Float] {
        (range.qmin...range.qmax).map(dequantize)
    }

    /// The smallest and largest representable reals, s·(q_min − z) and s·(q_max − z).
    public var representableRange: ClosedRange<Float> {
        dequantize(range.qmin)...dequantize(range.qmax)
    }
}

/// How a scale and zero point were obtained from an observed range: the range actually used,
/// the formulas with their numbers, and notes on special cases.
public struct RangeDerivation: Sendable, Equatable {
    /// The smallest and largest value observed.
    public var observedMin: Float
    public var observedMax: Float
    /// The range the grid spans after widening to include 0 (affine) or mirroring (symmetric).
    public var min: Float
    public var max: Float
    public var scheme: QuantizationScheme
    public var parameters: QuantizationParameters
    /// The steps in order: the range, the scale, the zero point.
    public var formulas: [Formula]
    /// Special cases met on the way, in words ("max = min = 0: s = 1 so that 0 stays exact").
    public var notes: [String]
}

extension QuantizationParameters {
    /// The scale and zero point for values in [min, max] with `bits`-bit codes.
    ///
    /// - Affine: the range is widened to include 0 (so that 0, padding and ReLU's output, is
    ///   exact), then s = (max − min)/(q_max − q_min) and z = clamp(q_min − round(min/s)).
    /// - Symmetric: s = max(|min|, |max|)/q_max, z = 0.
    ///
    /// When the (widened) range is a single point — only possible for an all-zero tensor —
    /// s = 1, which represents it exactly.
    public static func derive(min observedMin: Float, max observedMax: Float, bits: Int,
                              scheme: QuantizationScheme) throws(QuantizationError) -> RangeDerivation {
        guard observedMin.isFinite, observedMax.isFinite else {
            throw .nonFiniteRange(min: observedMin, max: observedMax)
        }
        guard observedMin <= observedMax else { throw .invertedRange(min: observedMin, max: observedMax) }
        let range = try IntegerRange(bits: bits, scheme: scheme)
        switch scheme {
        case .affine: return affine(min: observedMin, max: observedMax, range: range)
        case .symmetric: return symmetric(min: observedMin, max: observedMax, range: range)
        }
    }

    /// The parameters alone (see `derive`).
    public static func forRange(min: Float, max: Float, bits: Int,
                                scheme: QuantizationScheme) throws(QuantizationError) -> QuantizationParameters {
        try derive(min: min, max: max, bits: bits, scheme: scheme).parameters
    }

    private static func affine(min observedMin: Float, max observedMax: Float, range: IntegerRange) -> RangeDerivation {
        let lo = Swift.min(observedMin, 0)
        let hi = Swift.max(observedMax, 0)
        var notes: [String] = []
        if lo != observedMin || hi != observedMax {
            notes.append("the range is widened to include 0, so that 0 is represented exactly")
        }
        var scale = (hi - lo) / Float(range.qmax - range.qmin)
        if hi == lo {
            notes.append("max = min = 0: s = 1, which represents the single value 0 exactly")
            scale = 1
        } else if !scale.isNormal {
            notes.append("the range is too narrow for a normal Float scale: s is raised to \(Float.leastNormalMagnitude)")
            scale = .leastNormalMagnitude
        }
        let shifted = Float(range.qmin) - (lo / scale).rounded(.toNearestOrEven)
        let zeroPoint = Int(Swift.min(Swift.max(shifted, Float(range.qmin)), Float(range.qmax)))
        let parameters = QuantizationParameters(scale: scale, zeroPoint: zeroPoint, range: range)
        let formulas = [
            Formula(symbol: "min", symbolic: "min(x_min, 0)", template: "min({0}, 0)",
                    values: [.real(Double(observedMin))], result: .real(Double(lo))),
            Formula(symbol: "max", symbolic: "max(x_max, 0)", template: "max({0}, 0)",
                    values: [.real(Double(observedMax))], result: .real(Double(hi))),
            Formula(symbol: "s", symbolic: "(max - min) / (q_max - q_min)", template: "({0} - {1}) / ({2} - {3})",
                    values: [.real(Double(hi)), .real(Double(lo)), .integer(range.qmax), .integer(range.qmin)],
                    result: .real(Double(scale))),
            Formula(symbol: "z", symbolic: "clamp(q_min - round(min / s), q_min, q_max)",
                    template: "clamp({0} - round({1} / {2}), {0}, {3})",
                    values: [.integer(range.qmin), .real(Double(lo)), .real(Double(scale)), .integer(range.qmax)],
                    result: .integer(zeroPoint)),
        ]
        return RangeDerivation(observedMin: observedMin, observedMax: observedMax, min: lo, max: hi,
                               scheme: .affine, parameters: parameters, formulas: formulas, notes: notes)
    }

    private static func symmetric(min observedMin: Float, max observedMax: Float, range: IntegerRange) -> RangeDerivation {
        let magnitude = Swift.max(abs(observedMin), abs(observedMax))
        var notes: [String] = []
        var scale = magnitude / Float(range.qmax)
        if magnitude == 0 {
            notes.append("max|x| = 0: s = 1, which represents the single value 0 exactly")
            scale = 1
        } else if !scale.isNormal {
            notes.append("the range is too narrow for a normal Float scale: s is raised to \(Float.leastNormalMagnitude)")
            scale = .leastNormalMagnitude
        }
        let parameters = QuantizationParameters(scale: scale, zeroPoint: 0, range: range)
        let formulas = [
            Formula(symbol: "max|x|", symbolic: "max(|x_min|, |x_max|)", template: "max(|{0}|, |{1}|)",
                    values: [.real(Double(observedMin)), .real(Double(observedMax))], result: .real(Double(magnitude))),
            Formula(symbol: "s", symbolic: "max|x| / q_max", template: "{0} / {1}",
                    values: [.real(Double(magnitude)), .integer(range.qmax)], result: .real(Double(scale))),
            Formula("z = 0 (symmetric: the grid is centered on 0)", terms: []),
        ]
        return RangeDerivation(observedMin: observedMin, observedMax: observedMax, min: -magnitude, max: magnitude,
                               scheme: .symmetric, parameters: parameters, formulas: formulas, notes: notes)
    }
}
