import SlimKernels

/// What to quantize to: the code width, the scheme and the granularity.
public struct QuantizationSpec: Sendable, Equatable, CustomStringConvertible {
    public var bits: Int
    public var scheme: QuantizationScheme
    public var granularity: QuantizationGranularity

    public init(bits: Int = 8, scheme: QuantizationScheme = .symmetric, granularity: QuantizationGranularity = .tensor) {
        self.bits = bits
        self.scheme = scheme
        self.granularity = granularity
    }

    /// "int8 symmetric per-channel".
    public var description: String {
        "int\(bits) \(scheme.rawValue) per-\(granularity.rawValue)"
    }
}

/// A tensor stored as integer codes with their scale(s) and zero point(s): the form a
/// quantized variant keeps its weights in, and whose `storedBytes` is its real size.
public struct QuantizedTensor: Sendable {
    /// The shape of the real tensor it stands for.
    public let shape: [Int]
    public let spec: QuantizationSpec
    /// One entry for per-tensor, one per output channel (`shape[0]`) for per-channel.
    public let parameters: [QuantizationParameters]
    /// The codes, packed as stored.
    public let storage: PackedCodes

    public init(shape: [Int], spec: QuantizationSpec, parameters: [QuantizationParameters], storage: PackedCodes) {
        precondition(storage.count == shape.reduce(1, *), "QuantizedTensor: \(storage.count) codes for shape \(shape)")
        precondition(parameters.count == 1 || (shape.first.map { $0 == parameters.count } ?? false),
                     "QuantizedTensor: \(parameters.count) parameter sets for shape \(shape)")
        self.shape = shape
        self.spec = spec
        self.parameters = parameters
        self.storage = storage
    }

    /// The number of elements.
    public var count: Int { storage.count }

    /// The codes, unpacked to one `Int8` each.
    public var codes: Tensor<Int8> { storage.unpacked(shape: shape) }

    /// The elements that share one parameter set: all of them, or one output channel's.
    public var elementsPerParameterSet: Int { parameters.count == 0 ? 0 : count / parameters.count }

    /// The reals the codes stand for, x̂ = s · (q − z) (SlimKernels' dequantize, one
    /// parameter set at a time).
    public func dequantized() -> Tensor<Float> {
        let codes = self.codes
        let groupSize = elementsPerParameterSet
        return Tensor(shape: shape) { out in
            codes.withUnsafeBufferPointer { q in
                for (group, p) in parameters.enumerated() where groupSize > 0 {
                    SlimKernels.dequantize(q.baseAddress! + group * groupSize, count: groupSize, scale: p.scale,
                                           zeroPoint: Int32(p.zeroPoint), into: out.baseAddress! + group * groupSize)
                }
            }
        }
    }

    /// Bytes as stored: the packed codes, a 4-byte Float scale per parameter set, and a
    /// 1-byte zero point per set for the affine scheme (symmetric zero points are implied).
    public var storedBytes: Int {
        storage.bytes.count + parameters.count * (4 + (spec.scheme == .affine ? 1 : 0))
    }
}

/// The outcome of quantizing one tensor: the stored form, how each scale was derived, and
/// how many elements fell outside the grid and were clamped.
public struct TensorQuantization: Sendable {
    public var quantized: QuantizedTensor
    /// One per parameter set, in the order of `quantized.parameters`.
    public var derivations: [RangeDerivation]
    /// Elements whose round(x/s) + z lay outside [q_min, q_max].
    public var clippedCount: Int
}

extension QuantizedTensor {
    /// Quantizes `tensor` with scales from its own range (min and max of the whole tensor or
    /// of each output channel).
    public static func quantize(_ tensor: Tensor<Float>, spec: QuantizationSpec,
                                name: String = "tensor") throws(QuantizationError) -> TensorQuantization {
        guard tensor.count > 0 else { throw .emptyTensor(name) }
        let groups = try parameterGroups(shape: tensor.shape, granularity: spec.granularity)
        let groupSize = tensor.count / groups
        var derivations: [RangeDerivation] = []
        derivations.reserveCapacity(groups)
        for group in 0..<groups {
            let (lo, hi) = tensor.withUnsafeBufferPointer { x in
                minMax(UnsafeBufferPointer(rebasing: x[group * groupSize..<(group + 1) * groupSize]))
            }
            derivations.append(try QuantizationParameters.derive(min: lo, max: hi, bits: spec.bits, scheme: spec.scheme))
        }
        var outcome = quantize(tensor, parameters: derivations.map(\.parameters), spec: spec)
        outcome.derivations = derivations
        return outcome
    }

    /// Quantizes `tensor` with given parameters (one set, or one per output channel), for
    /// ranges chosen elsewhere: a calibrated clipping range, another convention's scale.
    public static func quantize(_ tensor: Tensor<Float>, parameters: [QuantizationParameters],
                                spec: QuantizationSpec) -> TensorQuantization {
        precondition(parameters.count == 1 || tensor.shape.first == parameters.count,
                     "QuantizedTensor.quantize: \(parameters.count) parameter sets for shape \(tensor.shape)")
        let groupSize = parameters.isEmpty ? 0 : tensor.count / parameters.count
        var clipped = 0
        let codes = Tensor<Int8>(shape: tensor.shape) { q in
            tensor.withUnsafeBufferPointer { x in
                for (group, p) in parameters.enumerated() where groupSize > 0 {
                    let lower = group * groupSize
                    SlimKernels.quantize(x.baseAddress! + lower, count: groupSize, scale: p.scale,
                                         zeroPoint: Int32(p.zeroPoint), qmin: Int32(p.range.qmin),
                                         qmax: Int32(p.range.qmax), into: q.baseAddress! + lower)
                    clipped += clippedCount(UnsafeBufferPointer(rebasing: x[lower..<lower + groupSize]), parameters: p)
                }
            }
        }
        let storage = codes.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: spec.bits) }
        let quantized = QuantizedTensor(shape: tensor.shape, spec: spec, parameters: parameters, storage: storage)
        return TensorQuantization(quantized: quantized, derivations: [], clippedCount: clipped)
    }

    /// How many parameter sets a tensor of `shape` gets.
    static func parameterGroups(shape: [Int], granularity: QuantizationGranularity) throws(QuantizationError) -> Int {
        switch granularity {
        case .tensor: return 1
        case .channel:
            guard shape.count >= 2, shape[0] > 0 else { throw .channelAxisMissing(shape: shape) }
            return shape[0]
        }
    }
}

/// The smallest and largest finite-or-not element (NaN is skipped); (0, 0) for no elements.
func minMax(_ x: UnsafeBufferPointer<Float>) -> (Float, Float) {
    var lo = Float.infinity, hi = -Float.infinity
    for v in x where !v.isNaN {
        lo = min(lo, v)
        hi = max(hi, v)
    }
    return lo <= hi ? (lo, hi) : (0, 0)
}

/// How many of `x` fall outside the grid: round(x/s) + z below q_min or above q_max.
func clippedCount(_ x: UnsafeBufferPointer<Float>, parameters p: QuantizationParameters) -> Int {
    let qmin = Float(p.range.qmin), qmax = Float(p.range.qmax)
    var clipped = 0
    for v in x {
        let code = p.unclampedCode(v)
        if code < qmin || code > qmax { clipped += 1 }
    }
    return clipped
}
