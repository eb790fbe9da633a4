import SlimKernels

/// Per-channel symmetric weight scales chosen by the least squared error, for the low code
/// widths a search reaches.
///
/// The max-abs scale s = max|w| / q_max wastes a narrow grid on the few largest weights: at
/// 2 bits (codes −1, 0, 1) every weight below max|w| / 2 rounds to 0. Clipping the range at
/// α · max|w| for the α that makes Σ (w − ŵ)² smallest keeps the grid where the weights are.
/// The candidates are α = k / 100 for k = 1…100 (the last is the max-abs scale); on ties the
/// wider range wins. Deterministic: the error sums run in a fixed order on every CPU. Zeros stay exact zeros (the grid is symmetric), so pruned weights remain
/// pruned, and the codes are stored exactly as max-abs codes would be (only the scale differs).
public enum LeastSquaresScales {
    /// The number of clipping candidates per channel.
    public static let candidates = 100

    /// One scale per output channel (the leading axis) of `weight`.
    public static func parameters(for weight: Tensor<Float>, bits: Int) throws(QuantizationError) -> [QuantizationParameters] {
        guard weight.count > 0, let channels = weight.shape.first, channels > 0 else { throw .emptyTensor("weight") }
        let range = try IntegerRange(bits: bits, scheme: .symmetric)
        let size = weight.count / channels
        var result: [QuantizationParameters] = []
        result.reserveCapacity(channels)
        for channel in 0..<channels {
            let scale = weight.withUnsafeBufferPointer { w in
                bestScale(UnsafeBufferPointer(rebasing: w[channel * size..<(channel + 1) * size]), qmax: range.qmax)
            }
            if let scale {
                result.append(QuantizationParameters(scale: scale, zeroPoint: 0, range: range))
            } else {
                // An all-zero (or non-finite) channel: the max-abs rule's own answer.
                let (lo, hi) = weight.withUnsafeBufferPointer { w in
                    minMax(UnsafeBufferPointer(rebasing: w[channel * size..<(channel + 1) * size]))
                }
                result.append(try QuantizationParameters.derive(min: lo, max: hi, bits: bits, scheme: .symmetric).parameters)
            }
        }
        return result
    }

    /// `weight` quantized per channel with these scales (symmetric, zero points 0).
    public static func quantize(_ weight: Tensor<Float>, bits: Int, name: String) throws(QuantizationError) -> QuantizedTensor {
        let spec = QuantizationSpec(bits: bits, scheme: .symmetric, granularity: .channel)
        let parameters = try parameters(for: weight, bits: bits)
        return QuantizedTensor.quantize(weight, parameters: parameters, spec: spec).quantized
    }

    /// The scale of the cheapest candidate, nil when the channel has no finite non-zero weight.
    static func bestScale(_ values: UnsafeBufferPointer<Float>, qmax: Int) -> Float? {
        var largest: Float = 0
        for v in values {
            guard v.isFinite else { return nil }
            largest = max(largest, abs(v))
        }
        guard largest > 0, let base = values.baseAddress else { return nil }
        let top = Float(qmax)
        var best: (cost: Float, scale: Float)?
        for k in stride(from: candidates, through: 1, by: -1) {
            let scale = Float(k) / Float(candidates) * largest / top
            guard scale > 0, scale.isFinite else { continue }
            let cost = squaredError(base, count: values.count, scale: scale, top: top)
            if best == nil || cost < best!.cost { best = (cost, scale) }
        }
        return best?.scale
    }

    /// Σ (x − s·clamp(round(x/s), −top, top))², sixteen lanes at a time (then the rest), in a
    /// fixed order. |x/s| ≤ 100·q_max here, so rounding by adding and subtracting 1.5·2²³ is
    /// round-half-to-even, as the quantizer rounds.
    @inline(__always)
    private static func squaredError(_ x: UnsafePointer<Float>, count: Int, scale: Float, top: Float) -> Float {
        let magic: Float = 12_582_912
        let scales = SIMD16<Float>(repeating: scale), highs = SIMD16<Float>(repeating: top), lows = -highs
        let magics = SIMD16<Float>(repeating: magic)
        var lanes = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            var code = (v / scales + magics) - magics
            code.replace(with: highs, where: code .> highs)
            code.replace(with: lows, where: code .< lows)
            let error = v - scales * code
            lanes += error * error
            i += 16
        }
        var total = lanes.sum()
        while i < count {
            let code = min(max((x[i] / scale + magic) - magic, -top), top)
            let error = x[i] - scale * code
            total += error * error
            i += 1
        }
        return total
    }
}
