import SlimKernels

/// What a technique's new variant changed against its source, measured the same way for
/// every technique: the bytes as stored, the test accuracy and (when asked for) the latency.
/// The REPL prints it as the technique's closing lines.
public struct TechniqueSummary: Sendable {
    /// The variant read and the one made.
    public var source: String
    public var variant: String
    public var sourceBytes: Int
    public var variantBytes: Int
    /// Test accuracy of each, on `testSetName`'s test rows (nil without fitting data).
    public var accuracyBefore: Double?
    public var accuracyAfter: Double?
    public var testSetName: String?
    /// Latency of each at `latencyBatch` rows (nil unless timing was asked for).
    public var latencyBefore: LatencyMeasurement?
    public var latencyAfter: LatencyMeasurement?
    public var threads: Int

    /// How many times fewer bytes the variant takes.
    public var sizeRatio: Double { Double(sourceBytes) / Double(max(1, variantBytes)) }
    /// The accuracy change in points, when both were measured.
    public var accuracyDeltaPoints: Double? {
        guard let accuracyBefore, let accuracyAfter else { return nil }
        return (accuracyAfter - accuracyBefore) * 100
    }

    /// How many times faster the variant runs a batch, when both were timed.
    public var speedup: Double? {
        guard let latencyBefore, let latencyAfter else { return nil }
        return latencyBefore.seconds / max(latencyAfter.seconds, 1e-12)
    }

    /// The batch the latency is measured at.
    public static let latencyBatch = 256
}

extension Workspace {
    /// Measures `variant` against `source` on the loaded test rows (accuracy when data is
    /// loaded — a source that no longer fits it is refused — latency at batch 256 when `timing`).
    public func summarize(source: Variant, variant: Variant, timing: Bool = false) throws -> TechniqueSummary {
        var summary = TechniqueSummary(source: source.name, variant: variant.name,
                                       sourceBytes: source.model.storedByteCount,
                                       variantBytes: variant.model.storedByteCount, threads: pool.threadCount)
        guard let test = data?.test, test.count > 0 else { return summary }
        // A model that no longer fits the loaded data is refused, never measured on it silently.
        try checkModelFitsData(source.name)
        summary.testSetName = test.name
        summary.accuracyBefore = try source.model.accuracy(on: test, pool: pool)
        summary.accuracyAfter = try variant.model.accuracy(on: test, pool: pool)
        if timing {
            let features = test.featureCount, batch = TechniqueSummary.latencyBatch
            let rows = Tensor<Float>(shape: [batch, features]) { out in
                test.features.withUnsafeBufferPointer { x in
                    for row in 0..<batch {
                        (out.baseAddress! + row * features).update(from: x.baseAddress! + (row % test.count) * features,
                                                                   count: features)
                    }
                }
            }
            summary.latencyBefore = LatencyMeasurement.measure(source.model, rows: rows, pool: pool)
            summary.latencyAfter = LatencyMeasurement.measure(variant.model, rows: rows, pool: pool)
        }
        return summary
    }
}
