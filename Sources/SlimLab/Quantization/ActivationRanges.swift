import SlimKernels

/// The values one activation takes on the test data, and the range its quantization grid
/// covers: the int8 engine's, when the variant runs on one, else a fresh calibration's.
public struct ActivationSample: Sendable {
    /// `relu1.out`, `fc1.out`, …
    public var name: String
    public var variant: String
    public var values: [Float]
    /// The clip range [min, max] the grid spans.
    public var clipMin: Float
    public var clipMax: Float
    /// Where the range comes from (`the int8 engine of int8`, `percentile calibration on 256 rows`).
    public var rangeSource: String
    /// The calibration behind the range, with its threshold search when the method searched.
    public var calibration: CalibrationResult?

    /// The fraction of values outside the clip range.
    public var clippedFraction: Double {
        guard !values.isEmpty else { return 0 }
        return Double(values.lazy.filter { $0 < clipMin || $0 > clipMax }.count) / Double(values.count)
    }
}

extension Workspace {
    /// The activations `point` (a name of `Model.activationNames`; nil: the first one the
    /// int8 engine quantizes after the input) of `name` (current when nil) on the test data,
    /// and its quantization range: the int8 engine's when the variant has one for that point
    /// and `useEngineRange`, else a calibration by `settings` on `samples` training rows.
    public func activationSample(_ name: String? = nil, point: String? = nil, settings: CalibrationSettings,
                                 samples: Int = 256, useEngineRange: Bool = true) throws -> ActivationSample {
        let data = try requireData("plot activations")
        let variant = try variants.variant(named: name)
        try checkModelFitsData(variant.name)
        let model = variant.model
        let links = try StaticQuantization.chain(of: model)
        guard let point = point ?? links.dropLast().first.map({ StaticQuantization.outputName($0, in: model) }) else {
            throw QuantizationError.unsupportedLayer(name: variant.name, kind: "a single-layer model",
                                                     allowed: "a model with a hidden layer (an activation between layers)")
        }
        guard let layer = model.activationNames.firstIndex(of: point) else {
            throw QuantizationError.invalidArgument(name: "activation", value: point,
                                                    allowed: model.activationNames.joined(separator: ", "))
        }
        let values = Array(model.activations(data.test.features, pool: pool)[layer].value.scalars)
        if useEngineRange, let engine = model.inferenceEngine as? Int8Network,
           let stage = engine.stages.first(where: { $0.output?.name == point }), let output = stage.output {
            return ActivationSample(name: point, variant: variant.name, values: values,
                                    clipMin: output.parameters.representableRange.lowerBound,
                                    clipMax: output.parameters.representableRange.upperBound,
                                    rangeSource: "the int8 engine of \(variant.name)", calibration: output.calibration)
        }
        let rows = min(samples, data.train.count)
        let calibration = try StaticQuantization.calibrate(model, data: data.train.features.rows(0..<rows),
                                                           settings: settings, pool: pool, stop: stop)
        guard let result = calibration.first(where: { $0.name == point })?.result else {
            throw QuantizationError.invalidArgument(
                name: "activation", value: point,
                allowed: "a quantized activation: " + calibration.map(\.name).joined(separator: ", "))
        }
        return ActivationSample(name: point, variant: variant.name, values: values, clipMin: result.min, clipMax: result.max,
                                rangeSource: "\(settings.method.rawValue) calibration on \(rows) training rows",
                                calibration: result)
    }
}
