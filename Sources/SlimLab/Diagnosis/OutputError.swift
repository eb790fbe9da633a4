import SlimKernels

/// How far one layer output is from its float reference: SQNR (the numeric suite's measure),
/// cosine similarity (TinyNeuralNetwork's) and mean squared error (AIMET's), over a batch.
///
///     SQNR = 10·log10(Σy² / Σ(y − ŷ)²) dB     cos = Σy·ŷ / (‖y‖·‖ŷ‖)     MSE = Σ(y − ŷ)² / n
public struct OutputError: Sendable, Equatable {
    public var sqnrDecibels: Double
    public var cosine: Double
    public var meanSquaredError: Double

    public init(sqnrDecibels: Double, cosine: Double, meanSquaredError: Double) {
        self.sqnrDecibels = sqnrDecibels
        self.cosine = cosine
        self.meanSquaredError = meanSquaredError
    }

    /// `reference` (the float model's output) against `actual` (same element count).
    public init(reference: Tensor<Float>, actual: Tensor<Float>) {
        precondition(reference.count == actual.count, "OutputError: \(reference.count) vs \(actual.count) elements")
        var signal = 0.0, noise = 0.0, dot = 0.0, actualSquares = 0.0
        reference.withUnsafeBufferPointer { y in
            actual.withUnsafeBufferPointer { z in
                for i in 0..<y.count {
                    let a = Double(y[i]), b = Double(z[i])
                    signal += a * a
                    noise += (a - b) * (a - b)
                    dot += a * b
                    actualSquares += b * b
                }
            }
        }
        let n = reference.count
        self.sqnrDecibels = QuantizationErrorMetrics.sqnr(signal: signal, noise: noise)
        let norms = (signal * actualSquares).squareRoot()
        self.cosine = norms == 0 ? (noise == 0 ? 1 : 0) : dot / norms
        self.meanSquaredError = n == 0 ? 0 : noise / Double(n)
    }
}
