import SlimKernels

/// "Why did accuracy drop?": a float variant and a compressed variant of it, compared layer by
/// layer on one fixed batch.
///
/// For every layer with weights, the compressed layer's output is compared with the float
/// layer's output twice: *isolated* — the compressed layer fed the float model's input to it,
/// so only its own compression counts (PyTorch's numeric suite, AIMET's per-layer analysis) —
/// and *accumulated* — the compressed model run up to that layer, so every error before it
/// counts too (TinyNeuralNetwork's graph error analysis). Layers are ranked by isolated SQNR,
/// lowest first; a layer far worse in isolation than the rest is the one to fix. For a static
/// int8 variant the engine is also checked against its fake-quant forward (`DeploymentParity`).
public struct Diagnosis: Sendable {
    public var floatVariant: String
    public var compressedVariant: String
    /// Rows of the batch the outputs were compared on.
    public var batchRows: Int
    /// Layers with weights, in model order.
    public var layers: [LayerDiagnosis]
    /// The int8 engine against the fake-quant forward, for a static variant.
    public var parity: DeploymentParity?

    /// The layer ranked first.
    public var biggestContributor: LayerDiagnosis? { layers.first { $0.rank == 1 } }

    /// What to try about the biggest contributor, as one piece of advice.
    public var advice: Advice? {
        guard let worst = biggestContributor else { return nil }
        if worst.bits <= 4 { return .moreBits }
        if worst.sparsity >= 0.5 { return .lessSparsity }
        if parity != nil { return .anotherCalibration }
        return .excludeLayer
    }

    public enum Advice: String, Sendable, Equatable {
        case moreBits, lessSparsity, anotherCalibration, excludeLayer
    }

    /// Diagnoses `compressed` against `reference` on `batch` (rows of features). The two must
    /// have the same layers with the same output shapes.
    public static func run(reference: Model, compressed: Model, floatName: String, compressedName: String,
                           batch: Tensor<Float>, pool: ComputePool) throws(DiagnosisError) -> Diagnosis {
        guard reference.layers.map(\.name) == compressed.layers.map(\.name),
              reference.layerOutputShapes == compressed.layerOutputShapes, reference.inputShape == compressed.inputShape else {
            throw .differentStructure(floatName, compressedName)
        }
        let rows = batch.shape.first ?? 0
        guard rows > 0 else { throw .noBatch }
        let input = batch.reshaped([rows] + reference.inputShape)
        let floatOutputs = reference.activations(input, pool: pool).map(\.value)
        var compressedActivation = input
        var layers: [LayerDiagnosis] = []
        let stored = Dictionary(compressed.storedTensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, layer) in compressed.layers.enumerated() {
            let floatInput = index == 0 ? input : floatOutputs[index - 1]
            compressedActivation = layer.forward(compressedActivation, pool: pool)
            guard let weight = layer.parameters.first(where: { $0.role == .weight }) else { continue }
            let isolatedOutput = layer.forward(floatInput, pool: pool)
            let effective = effectiveWeight(of: layer) ?? weight.value
            let pruned = weight.mask?.scalars.reduce(0) { $1 == 0 ? $0 + 1 : $0 } ?? 0
            layers.append(LayerDiagnosis(
                layer: layer.name, bits: bits(of: stored["\(layer.name).\(weight.name)"]),
                sparsity: weight.count == 0 ? 0 : Double(pruned) / Double(weight.count),
                weightRange: range(effective), activationRange: range(floatOutputs[index]),
                isolated: OutputError(reference: floatOutputs[index], actual: isolatedOutput),
                accumulated: OutputError(reference: floatOutputs[index], actual: compressedActivation), rank: 0))
        }
        let order = layers.indices.sorted {
            (layers[$0].isolated.sqnrDecibels, $0) < (layers[$1].isolated.sqnrDecibels, $1)
        }
        for (rank, index) in order.enumerated() { layers[index].rank = rank + 1 }
        let parity = (compressed.inferenceEngine as? Int8Network).map {
            DeploymentParity(network: $0, batch: batch.reshaped([rows, compressed.inputFeatureCount]), pool: pool)
        }
        return Diagnosis(floatVariant: floatName, compressedVariant: compressedName, batchRows: rows,
                         layers: layers, parity: parity)
    }

    /// The code width of a stored weight: `int4` → 4, `q4_0` → 4, Float storage → 32.
    static func bits(of stored: StoredTensor?) -> Int {
        guard let label = stored?.dtype.rawValue else { return 32 }
        let digits = label.drop { !$0.isNumber }.prefix { $0.isNumber }
        return Int(digits) ?? 32
    }

    private static func effectiveWeight(of layer: any Layer) -> Tensor<Float>? {
        if let dense = layer as? Dense, let transform = dense.weightTransform { return transform.transformed(dense.weight) }
        if let conv = layer as? Conv2D, let transform = conv.weightTransform { return transform.transformed(conv.weight) }
        return nil
    }

    private static func range(_ tensor: Tensor<Float>) -> ClosedRange<Float> {
        let (lo, hi) = tensor.withUnsafeBufferPointer { minMax($0) }
        return lo...hi
    }
}

/// Why two variants cannot be diagnosed against each other.
public enum DiagnosisError: Error, CustomStringConvertible, Equatable {
    case differentStructure(String, String)
    case noBatch
    case sameVariant(String)

    public var description: String {
        switch self {
        case let .differentStructure(a, b):
            return "\(a) and \(b) do not have the same layers and shapes, so their outputs cannot be compared layer by layer (structured pruning changes shapes); diagnose a variant against the model it was made from"
        case .noBatch:
            return "there are no samples to diagnose on; load data first ('data load digits')"
        case let .sameVariant(name):
            return "diagnose compares two variants, and both are \(name); name the float model first, then the compressed one"
        }
    }
}
