import SlimKernels

/// Test accuracy of a model whose weights are quantized (weights only) at each of several bit
/// widths: where accuracy starts to fall as the grid gets coarser.
public struct BitWidthSweep: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var bits: Int
        public var testAccuracy: Double
        /// The quantized weights' bytes as stored (codes packed, plus scales and zero points).
        public var byteCount: Int
    }

    public var variant: String
    public var scheme: QuantizationScheme
    public var granularity: QuantizationGranularity
    /// The Float model's test accuracy and bytes.
    public var floatAccuracy: Double
    public var floatBytes: Int
    public var points: [Point]

    /// Quantizes `model`'s weights at each of `bits` and evaluates each on `test`.
    public static func run(_ model: Model, variant: String, bits: [Int], scheme: QuantizationScheme,
                           granularity: QuantizationGranularity, test: Dataset, pool: ComputePool,
                           stop: StopSignal? = nil) throws -> BitWidthSweep {
        var points: [Point] = []
        for width in bits {
            if stop?.isRequested == true { throw QuantizationError.interrupted }
            let options = QuantizationOptions(bits: width, scheme: scheme, granularity: granularity, weightsOnly: true)
            let run = try PostTrainingQuantization.run(model, options: options, calibrationData: nil, pool: pool, stop: stop)
            points.append(Point(bits: width, testAccuracy: try run.variant.accuracy(on: test, pool: pool),
                                byteCount: run.variantBytes))
        }
        return BitWidthSweep(variant: variant, scheme: scheme, granularity: granularity,
                             floatAccuracy: try model.accuracy(on: test, pool: pool), floatBytes: model.storedByteCount,
                             points: points)
    }
}

extension Workspace {
    /// Accuracy against weight bit width for `name` (current when nil) on the loaded test data.
    public func bitWidthSweep(_ name: String? = nil, bits: [Int], scheme: QuantizationScheme = .symmetric,
                              granularity: QuantizationGranularity = .channel) throws -> BitWidthSweep {
        let test = try requireData("plot bits").test
        let variant = try variants.variant(named: name)
        return try BitWidthSweep.run(variant.model, variant: variant.name, bits: bits, scheme: scheme,
                                     granularity: granularity, test: test, pool: pool, stop: stop)
    }
}
