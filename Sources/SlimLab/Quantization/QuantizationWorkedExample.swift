import SlimKernels

/// One real element carried through quantization and back, every intermediate kept:
/// x → x/s → rounded → + z → clamped → q → x̂ = s·(q − z) → error x − x̂.
public struct QuantizationWorkedExample: Sendable, Equatable {
    /// Where the element sits (multi-dimensional and flat).
    public var index: [Int]
    public var flatIndex: Int
    public var x: Float
    public var parameters: QuantizationParameters
    /// x / s.
    public var scaled: Float
    /// round(x / s), half to even.
    public var rounded: Float
    /// round(x / s) + z.
    public var shifted: Float
    /// clamp(round(x / s) + z, q_min, q_max): the stored code.
    public var q: Int
    /// s · (q − z).
    public var reconstructed: Float
    /// x − x̂.
    public var error: Float

    /// Whether clamping changed the code (x lay outside the grid).
    public var wasClamped: Bool { Float(q) != shifted }
    /// Whether x/s lay exactly halfway between two integers, so the tie rule decided.
    public var isTie: Bool { scaled - scaled.rounded(.down) == 0.5 }

    public init(x: Float, parameters p: QuantizationParameters, index: [Int] = [], flatIndex: Int = 0) {
        self.index = index
        self.flatIndex = flatIndex
        self.x = x
        self.parameters = p
        self.scaled = x / p.scale
        self.rounded = scaled.rounded(.toNearestOrEven)
        self.shifted = rounded + Float(p.zeroPoint)
        self.q = p.quantize(x)
        self.reconstructed = p.dequantize(q)
        self.error = x - reconstructed
    }

    /// The steps as formulas with the numbers substituted.
    public var formulas: [Formula] {
        let s = Double(parameters.scale), z = parameters.zeroPoint
        return [
            Formula(symbol: "", symbolic: "x / s", template: "{0} / {1}",
                    values: [.real(Double(x)), .real(s)], result: .real(Double(scaled))),
            Formula(symbol: "", symbolic: "round(x / s)", template: "round({0})",
                    values: [.real(Double(scaled))], result: .integer(Int(rounded))),
            Formula(symbol: "q", symbolic: "clamp(round(x / s) + z, q_min, q_max)",
                    template: "clamp({0} + {1}, {2}, {3})",
                    values: [.integer(Int(rounded)), .integer(z), .integer(parameters.range.qmin),
                             .integer(parameters.range.qmax)],
                    result: .integer(q)),
            Formula(symbol: "x̂", symbolic: "s · (q - z)", template: "{0} · ({1} - {2})",
                    values: [.real(s), .integer(q), .integer(z)], result: .real(Double(reconstructed))),
            Formula(symbol: "error", symbolic: "x - x̂", template: "{0} - {1}",
                    values: [.real(Double(x)), .real(Double(reconstructed))], result: .real(Double(error))),
        ]
    }
}

extension QuantizationWorkedExample {
    /// A representative element of `values`: the one at the 90th percentile of |x| (a
    /// typical large weight: neither the extreme that sets the scale nor one near 0), lowest
    /// index first among equals.
    public static func representativeIndex(in values: UnsafeBufferPointer<Float>) -> Int {
        guard !values.isEmpty else { return 0 }
        // The element at rank r of |x| ordered by (|x|, index): its magnitude is the (r+1)-th
        // smallest, and among the entries of that magnitude it is the one at rank r − (#smaller).
        let rank = (values.count - 1) * 9 / 10
        var magnitudes = values.map { abs($0) }
        let target = magnitudes.kthSmallest(rank + 1)
        var tie = rank - values.reduce(0) { $0 + (abs($1) < target ? 1 : 0) }
        for (index, x) in values.enumerated() where abs(x) == target {
            if tie == 0 { return index }
            tie -= 1
        }
        return values.count - 1
    }

    /// The worked example of the representative element of `quantization`'s tensor.
    public static func representative(of tensor: Tensor<Float>, quantized: QuantizedTensor) -> QuantizationWorkedExample {
        let flat = tensor.withUnsafeBufferPointer(representativeIndex(in:))
        var index: [Int] = []
        var rest = flat
        for dimension in tensor.shape.reversed() {
            index.insert(dimension == 0 ? 0 : rest % dimension, at: 0)
            rest = dimension == 0 ? 0 : rest / dimension
        }
        let group = quantized.elementsPerParameterSet == 0 ? 0 : flat / quantized.elementsPerParameterSet
        return QuantizationWorkedExample(x: tensor[flat: flat], parameters: quantized.parameters[group],
                                         index: index, flatIndex: flat)
    }
}
