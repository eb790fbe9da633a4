import Foundation
import SlimKernels

/// How far a quantized tensor x̂ is from the original x.
///
/// - MSE = Σ(x − x̂)² / n
/// - max |x − x̂|: at most s/2 inside the range; more for clipped elements.
/// - SQNR in dB = 10·log10(Σx² / Σ(x − x̂)²): signal power over noise power; each extra bit
///   adds about 6.02 dB for a well-scaled uniform quantizer. Infinite when x̂ = x exactly.
/// - fraction clipped: elements that fell outside the grid and were clamped.
public struct QuantizationErrorMetrics: Sendable, Equatable {
    public var count: Int
    public var meanSquaredError: Double
    public var maxAbsoluteError: Double
    /// 10·log10(Σx² / Σ(x − x̂)²); `+infinity` for no error, `-infinity` for x = 0 with error.
    public var sqnrDecibels: Double
    public var clippedFraction: Double

    public init(count: Int, meanSquaredError: Double, maxAbsoluteError: Double, sqnrDecibels: Double,
                clippedFraction: Double) {
        self.count = count
        self.meanSquaredError = meanSquaredError
        self.maxAbsoluteError = maxAbsoluteError
        self.sqnrDecibels = sqnrDecibels
        self.clippedFraction = clippedFraction
    }

    /// Compares `original` with `reconstructed` (same element count); `clippedCount` comes
    /// from the quantizer, which alone knows which codes were clamped.
    public init(original: Tensor<Float>, reconstructed: Tensor<Float>, clippedCount: Int = 0) {
        precondition(original.count == reconstructed.count,
                     "QuantizationErrorMetrics: \(original.count) originals, \(reconstructed.count) reconstructions")
        var signal = 0.0, noise = 0.0, worst = 0.0
        original.withUnsafeBufferPointer { x in
            reconstructed.withUnsafeBufferPointer { y in
                for i in 0..<x.count {
                    let xi = Double(x[i])
                    let e = xi - Double(y[i])
                    signal += xi * xi
                    noise += e * e
                    worst = max(worst, abs(e))
                }
            }
        }
        let n = original.count
        self.count = n
        self.meanSquaredError = n == 0 ? 0 : noise / Double(n)
        self.maxAbsoluteError = worst
        self.sqnrDecibels = Self.sqnr(signal: signal, noise: noise)
        self.clippedFraction = n == 0 ? 0 : Double(clippedCount) / Double(n)
    }

    /// 10·log10(signal / noise) with the edge cases spelled out.
    static func sqnr(signal: Double, noise: Double) -> Double {
        if noise == 0 { return .infinity }
        if signal == 0 { return -.infinity }
        return 10 * log10(signal / noise)
    }
}

/// The error of one layer's quantized tensor, a row of the per-layer error table.
public struct LayerQuantizationError: Sendable, Equatable {
    /// The tensor's name (`fc1.weight`).
    public var name: String
    /// How it was quantized ("int8 symmetric per-channel", "Q4_0").
    public var format: String
    public var metrics: QuantizationErrorMetrics
    /// Bytes as fp32 and as stored quantized.
    public var floatBytes: Int
    public var storedBytes: Int

    public init(name: String, format: String, metrics: QuantizationErrorMetrics, floatBytes: Int, storedBytes: Int) {
        self.name = name
        self.format = format
        self.metrics = metrics
        self.floatBytes = floatBytes
        self.storedBytes = storedBytes
    }
}
