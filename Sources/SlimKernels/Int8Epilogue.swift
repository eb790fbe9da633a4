import _SlimKernelsShared

/// How `gemmInt8` turns exact int32 accumulators into int8 outputs (requantization):
///
///     y[i, j] = clamp(round((acc[i, j] + bias[j]) · M_j) + z_y, lo, q_max),   M_j = (s_a · s_w[j]) / s_y
///
/// with `round` half-to-even, `lo = max(z_y, q_min)` under ReLU (the code of 0.0) and `q_min`
/// otherwise; the output codes `q_min…q_max` are −128…127 for int8 activations, narrower for
/// fewer bits (−8…7 at 4 bits). `M_j`
/// and the product are computed in Float in that order, by every path, so results are
/// bit-identical. The int32 `bias` is in accumulator units (`round(b / (s_a · s_w[j]))`, the
/// ONNX and PyTorch convention), so it adds before scaling, exactly.
public struct Int8Requantization: Sendable, Equatable {
    /// The activation scale `s_a`.
    public var activationScale: Float
    /// Per output channel, in accumulator units; `nil` for none.
    public var bias: [Int32]?
    /// The output scale `s_y`.
    public var outputScale: Float
    /// The output zero point `z_y` (in −128…127).
    public var outputZeroPoint: Int32
    /// Whether to clamp at `z_y`, a fused ReLU.
    public var relu: Bool
    /// The range of the output codes (within −128…127).
    public var qmin: Int32
    public var qmax: Int32

    public init(activationScale: Float, bias: [Int32]? = nil, outputScale: Float,
                outputZeroPoint: Int32, relu: Bool = false, qmin: Int32 = -128, qmax: Int32 = 127) {
        self.activationScale = activationScale
        self.bias = bias
        self.outputScale = outputScale
        self.outputZeroPoint = outputZeroPoint
        self.relu = relu
        self.qmin = qmin
        self.qmax = qmax
    }

    /// The lowest code written: `max(z_y, q_min)` under ReLU, else `q_min`.
    public var lowestCode: Int32 { relu ? max(outputZeroPoint, qmin) : qmin }

    /// The multiplier `M_j = (s_a · s_w) / s_y` for a weight scale `s_w`.
    @inlinable public func multiplier(weightScale: Float) -> Float {
        (activationScale * weightScale) / outputScale
    }
}

/// How `gemmInt8` turns exact int32 accumulators into Floats (dequantization):
///
///     y[i, j] = Float(acc[i, j]) · (s_a · s_w[j]) + bias[j]        (then max(y, 0) under ReLU)
///
/// computed in Float in that order by every path.
public struct Int8Dequantization: Sendable, Equatable {
    /// The activation scale `s_a`.
    public var activationScale: Float
    /// Float bias per output channel; `nil` for none.
    public var bias: [Float]?
    /// Whether to apply ReLU.
    public var relu: Bool

    public init(activationScale: Float, bias: [Float]? = nil, relu: Bool = false) {
        self.activationScale = activationScale
        self.bias = bias
        self.relu = relu
    }
}

/// Requantizes the `rows`×`n` int32 accumulators `acc` (rows `ldAcc` apart) to int8 with the
/// readable scalar formula; the reference for `gemmInt8`'s int8 output.
public func requantizeReference(
    _ acc: UnsafePointer<Int32>, rows: Int, n: Int, ldAcc: Int, weightScales: [Float],
    _ r: Int8Requantization, into y: UnsafeMutablePointer<Int8>, ldy: Int
) {
    for i in 0..<rows {
        for j in 0..<n {
            let s = weightScales.count == 1 ? weightScales[0] : weightScales[j]
            let total = acc[i * ldAcc + j] &+ (r.bias?[j] ?? 0)
            let scaled = (Float(total) * r.multiplier(weightScale: s)).rounded(.toNearestOrEven)
            let low = Float(r.lowestCode), high = Float(r.qmax)
            let v = scaled + Float(r.outputZeroPoint)
            y[i * ldy + j] = Int8(v < low ? low : (v > high ? high : v))
        }
    }
}

/// Dequantizes the `rows`×`n` int32 accumulators `acc` to Float with the readable scalar
/// formula; the reference for `gemmInt8`'s Float output.
public func dequantizeAccumulatorsReference(
    _ acc: UnsafePointer<Int32>, rows: Int, n: Int, ldAcc: Int, weightScales: [Float],
    _ d: Int8Dequantization, into y: UnsafeMutablePointer<Float>, ldy: Int
) {
    for i in 0..<rows {
        for j in 0..<n {
            let s = weightScales.count == 1 ? weightScales[0] : weightScales[j]
            var v = Float(acc[i * ldAcc + j]) * (d.activationScale * s) + (d.bias?[j] ?? 0)
            if d.relu && !(v > 0) { v = 0 }
            y[i * ldy + j] = v
        }
    }
}

/// `v.rounded(.toNearestOrEven)` for results that are clamped to a small integer range next
/// (int8 codes): |v| is first limited to 2²², then 1.5·2²³ is added and subtracted — at that
/// magnitude the spacing of Floats is 1, so the addition itself rounds half to even, exactly.
/// Plain adds vectorize on every CPU, where `rounded` needs SSE4.1 and is a libm call per
/// element on the x86-64 baseline the code outside the kernel targets is compiled for. NaN
/// stays NaN; the sign of a zero result may differ, which no integer code can tell.
@inlinable
public func roundedHalfEvenForClamping(_ v: Float) -> Float {
    RoundingMath.roundedHalfEvenForClamping(v)
}

/// `roundedHalfEvenForClamping` on 16 lanes.
@inlinable
public func roundedHalfEvenForClamping(_ v: SIMD16<Float>) -> SIMD16<Float> {
    RoundingMath.roundedHalfEvenForClamping(v)
}
