import SlimKernels

/// Wall-clock inference time of a model, measured the way benchmarks should be: warm-up runs
/// first, then enough calls per repeat to last `minimumRepeatSeconds`, and the median of the
/// repeats (robust to a burst of load on a shared machine).
public struct LatencyMeasurement: Sendable, Equatable {
    /// Median seconds per call.
    public var seconds: Double
    /// The fastest repeat's seconds per call.
    public var bestSeconds: Double
    /// Rows per call.
    public var batchSize: Int
    public var repeats: Int

    /// Seconds per sample (the call's time divided by the rows).
    public var secondsPerSample: Double { seconds / Double(max(1, batchSize)) }

    /// Times `model.logits` on `rows` (a [batch, features] tensor).
    public static func measure(_ model: Model, rows: Tensor<Float>, pool: ComputePool, repeats: Int = 7,
                               minimumRepeatSeconds: Double = 0.02, warmUp: Int = 3) -> LatencyMeasurement {
        let clock = ContinuousClock()
        for _ in 0..<warmUp { _ = model.logits(rows, pool: pool) }
        var inner = 1
        while true {
            let start = clock.now
            for _ in 0..<inner { _ = model.logits(rows, pool: pool) }
            let elapsed = Trainer.seconds(start.duration(to: clock.now))
            if elapsed >= minimumRepeatSeconds || inner >= 1 << 20 { break }
            inner = max(inner * 2, Int(Double(inner) * minimumRepeatSeconds / max(elapsed, 1e-9) * 1.1))
        }
        var samples: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = clock.now
            for _ in 0..<inner { _ = model.logits(rows, pool: pool) }
            samples.append(Trainer.seconds(start.duration(to: clock.now)) / Double(inner))
        }
        samples.sort()
        return LatencyMeasurement(seconds: samples[samples.count / 2], bestSeconds: samples[0],
                                  batchSize: rows.shape[0], repeats: samples.count)
    }
}
