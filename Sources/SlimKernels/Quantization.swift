import _SlimKernelsAVX2
import _SlimKernelsAVX512

/// Affine quantization, the arithmetic of every int8/int4 format SlimLab teaches:
///
///     q = clamp(round(x / s) + z, q_min, q_max)        x̂ = s · (q − z)
///
/// `round` is round-half-to-even (as PyTorch and NumPy do), `s > 0` is the scale and `z` the
/// zero point. The codes are stored in any integer type wide enough for `[q_min, q_max]`
/// (`Int8`, `UInt8`, or `Int32` for widths other code wants to inspect), so 4-bit formats use
/// the same kernels with `q_min = −8, q_max = 7`. NaN inputs map to `q_min`.
///
/// Per-channel variants quantize a tensor laid out as `[channels, elementsPerChannel]`
/// (a Dense weight `[out, in]`, a convolution weight `[out, in·kh·kw]`) with one scale and
/// zero point per channel (per output row).

/// `count` Floats to codes with one scale and zero point.
@inlinable
public func quantize<Code: FixedWidthInteger & BitwiseCopyable>(
    _ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
    qmin: Int32, qmax: Int32, into q: UnsafeMutablePointer<Code>
) {
    checkQuantizationParameters(scale: scale, zeroPoint: zeroPoint, qmin: qmin, qmax: qmax,
                                codeMin: Int64(Code.min), codeMax: Int64(Code.max))
    if Code.self == Int8.self {
        quantizeInt8(x, count: count, scale: scale, zeroPoint: zeroPoint, qmin: qmin, qmax: qmax,
                     into: UnsafeMutableRawPointer(q).assumingMemoryBound(to: Int8.self))
        return
    }
    quantizeOnBaseline(x, count: count, scale: scale, zeroPoint: zeroPoint, qmin: qmin, qmax: qmax, into: q)
}

/// `quantize`'s loop in code compiled for the architecture's baseline (any code type).
@inlinable
func quantizeOnBaseline<Code: FixedWidthInteger & BitwiseCopyable>(
    _ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
    qmin: Int32, qmax: Int32, into q: UnsafeMutablePointer<Code>
) {
    let z = Float(zeroPoint), low = Float(qmin), high = Float(qmax)
    var i = 0
    if qmin >= -(1 << 22) && qmax <= 1 << 22 {
        // 16 at a time: the same Float operations as `quantizedValue`, lane by lane. Codes are
        // made as Int32 in a small buffer and narrowed in a second pass: narrowing in the same
        // loop makes LLVM split every vector operation into 128-bit pieces.
        let lowVector = SIMD16<Float>(repeating: low), highVector = SIMD16<Float>(repeating: high)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { buffer in
            let codes = buffer.baseAddress!
            while i + 16 <= count {
                let chunk = min(256, (count - i) / 16 * 16)
                var t = 0
                while t < chunk {
                    var v = (loadVector(x + i + t) / scale).rounded(.toNearestOrEven) + z
                    v.replace(with: highVector, where: v .> highVector)
                    v.replace(with: lowVector, where: .!(v .>= lowVector))
                    UnsafeMutableRawPointer(codes + t).storeBytes(
                        of: unsafeBitCast(v + 12_582_912, to: SIMD16<Int32>.self) &- 0x4B40_0000, as: SIMD16<Int32>.self)
                    t += 16
                }
                narrowCodes(codes, count: chunk, into: q + i)
                i += chunk
            }
        }
    }
    while i < count {
        q[i] = Code(truncatingIfNeeded: Int32(quantizedValue(x[i], scale, z, low, high)))
        i += 1
    }
}

/// `quantize` to Int8 codes (`q_min…q_max` within −128…127) on a kernel path: AVX-512 or
/// AVX2 (see `avx512QuantizeInt8`), or the baseline loop — the same bits on each.
public func quantizeInt8(
    _ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
    qmin: Int32, qmax: Int32, into q: UnsafeMutablePointer<Int8>, path: KernelPath = .best
) {
    checkQuantizationParameters(scale: scale, zeroPoint: zeroPoint, qmin: qmin, qmax: qmax, codeMin: -128, codeMax: 127)
    precondition(path.isAvailable, "quantizeInt8: the \(path.rawValue) path is not available on this machine/build")
    switch path {
    case .avx512:
        #if arch(x86_64)
        avx512QuantizeInt8(x, count: count, scale: scale, zeroPoint: zeroPoint, low: qmin, high: qmax, into: q)
        #endif
    case .avx2:
        #if arch(x86_64)
        avx2QuantizeInt8(x, count: count, scale: scale, zeroPoint: zeroPoint, low: qmin, high: qmax, into: q)
        #endif
    case .generic:
        quantizeOnBaseline(x, count: count, scale: scale, zeroPoint: zeroPoint, qmin: qmin, qmax: qmax, into: q)
    }
}

/// Stores `count` (a multiple of 16) Int32 codes, known to fit, as `Code`.
@inlinable @inline(__always)
func narrowCodes<Code: FixedWidthInteger & BitwiseCopyable>(
    _ codes: UnsafePointer<Int32>, count: Int, into q: UnsafeMutablePointer<Code>
) {
    let raw = UnsafeMutableRawPointer(q)
    var t = 0
    while t < count {
        let v = UnsafeRawPointer(codes + t).loadUnaligned(as: SIMD16<Int32>.self)
        if Code.self == Int8.self {
            (raw + t).storeBytes(of: SIMD16<Int8>(truncatingIfNeeded: v), as: SIMD16<Int8>.self)
        } else if Code.self == UInt8.self {
            (raw + t).storeBytes(of: SIMD16<UInt8>(truncatingIfNeeded: v), as: SIMD16<UInt8>.self)
        } else {
            for u in 0..<16 { q[t + u] = Code(truncatingIfNeeded: v[u]) }
        }
        t += 16
    }
}

/// Loads 16 codes of type `Code` as Int32, vectorized for the common code types.
@inlinable @inline(__always)
func loadCodes<Code: FixedWidthInteger & BitwiseCopyable>(_ q: UnsafePointer<Code>) -> SIMD16<Int32> {
    let raw = UnsafeRawPointer(q)
    if Code.self == Int8.self {
        return SIMD16<Int32>(truncatingIfNeeded: raw.loadUnaligned(as: SIMD16<Int8>.self))
    } else if Code.self == UInt8.self {
        return SIMD16<Int32>(truncatingIfNeeded: raw.loadUnaligned(as: SIMD16<UInt8>.self))
    } else if Code.self == Int32.self {
        return raw.loadUnaligned(as: SIMD16<Int32>.self)
    }
    var codes = SIMD16<Int32>()
    for t in 0..<16 { codes[t] = Int32(truncatingIfNeeded: q[t]) }
    return codes
}

/// The clamped, rounded code of one value, as a Float holding an integer.
@inlinable @inline(__always)
func quantizedValue(_ x: Float, _ scale: Float, _ zeroPoint: Float, _ low: Float, _ high: Float) -> Float {
    let v = (x / scale).rounded(.toNearestOrEven) + zeroPoint
    return v >= low ? (v <= high ? v : high) : low
}

/// Codes back to Floats: `x̂ = s · (q − z)`.
@inlinable
public func dequantize<Code: FixedWidthInteger & BitwiseCopyable>(
    _ q: UnsafePointer<Code>, count: Int, scale: Float, zeroPoint: Int32,
    into x: UnsafeMutablePointer<Float>
) {
    let z = Int32(zeroPoint)
    var i = 0
    while i + 16 <= count {
        let codes = loadCodes(q + i)
        UnsafeMutableRawPointer(x + i).storeBytes(of: SIMD16<Float>(codes &- z) * scale, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { x[i] = scale * Float(Int32(truncatingIfNeeded: q[i]) - z); i += 1 }
}

/// Quantize then dequantize (`x̂ = s·(clamp(round(x/s) + z, q_min, q_max) − z)`): the
/// "fake quantization" of quantization-aware training, which keeps Floats but only the values
/// the quantized model can represent. `y` may be `x`.
@inlinable
public func fakeQuantize(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
    scale: Float, zeroPoint: Int32, qmin: Int32, qmax: Int32
) {
    checkQuantizationParameters(scale: scale, zeroPoint: zeroPoint, qmin: qmin, qmax: qmax,
                                codeMin: Int64(Int32.min), codeMax: Int64(Int32.max))
    let z = Float(zeroPoint), low = Float(qmin), high = Float(qmax)
    var i = 0
    let lowVector = SIMD16<Float>(repeating: low), highVector = SIMD16<Float>(repeating: high)
    while i + 16 <= count {
        var v = (loadVector(x + i) / scale).rounded(.toNearestOrEven) + z
        v.replace(with: highVector, where: v .> highVector)
        v.replace(with: lowVector, where: .!(v .>= lowVector))
        UnsafeMutableRawPointer(y + i).storeBytes(of: (v - z) * scale, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count {
        y[i] = scale * (quantizedValue(x[i], scale, z, low, high) - z)
        i += 1
    }
}

/// Per-channel `quantize`: row `c` of the `[channels, elementsPerChannel]` input uses
/// `scales[c]` and `zeroPoints[c]`.
@inlinable
public func quantizePerChannel<Code: FixedWidthInteger & BitwiseCopyable>(
    _ x: UnsafePointer<Float>, channels: Int, elementsPerChannel: Int,
    scales: UnsafePointer<Float>, zeroPoints: UnsafePointer<Int32>,
    qmin: Int32, qmax: Int32, into q: UnsafeMutablePointer<Code>
) {
    for c in 0..<channels {
        quantize(x + c * elementsPerChannel, count: elementsPerChannel, scale: scales[c],
                 zeroPoint: zeroPoints[c], qmin: qmin, qmax: qmax, into: q + c * elementsPerChannel)
    }
}

/// Per-channel `dequantize`.
@inlinable
public func dequantizePerChannel<Code: FixedWidthInteger & BitwiseCopyable>(
    _ q: UnsafePointer<Code>, channels: Int, elementsPerChannel: Int,
    scales: UnsafePointer<Float>, zeroPoints: UnsafePointer<Int32>,
    into x: UnsafeMutablePointer<Float>
) {
    for c in 0..<channels {
        dequantize(q + c * elementsPerChannel, count: elementsPerChannel, scale: scales[c],
                   zeroPoint: zeroPoints[c], into: x + c * elementsPerChannel)
    }
}

/// Per-channel `fakeQuantize`.
@inlinable
public func fakeQuantizePerChannel(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    channels: Int, elementsPerChannel: Int,
    scales: UnsafePointer<Float>, zeroPoints: UnsafePointer<Int32>, qmin: Int32, qmax: Int32
) {
    for c in 0..<channels {
        fakeQuantize(x + c * elementsPerChannel, y + c * elementsPerChannel, count: elementsPerChannel,
                     scale: scales[c], zeroPoint: zeroPoints[c], qmin: qmin, qmax: qmax)
    }
}

/// Traps with a message naming the bad value when the scale, the range or the code type cannot
/// work together.
@inlinable
func checkQuantizationParameters(
    scale: Float, zeroPoint: Int32, qmin: Int32, qmax: Int32, codeMin: Int64, codeMax: Int64
) {
    precondition(scale > 0 && scale.isFinite, "quantize: scale must be finite and > 0, got \(scale)")
    precondition(qmin <= qmax, "quantize: q_min \(qmin) must not exceed q_max \(qmax)")
    precondition(Int64(qmin) >= codeMin && Int64(qmax) <= codeMax,
                 "quantize: [\(qmin), \(qmax)] does not fit the code type's range [\(codeMin), \(codeMax)]")
    precondition(Int64(qmin) >= -(1 << 24) && Int64(qmax) <= 1 << 24,
                 "quantize: [\(qmin), \(qmax)] exceeds ±2²⁴, the integers a Float holds exactly")
}

/// The readable definition of `quantize`, in Double (exact for these operations).
public func quantizeReference(
    _ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
    qmin: Int32, qmax: Int32, into q: UnsafeMutablePointer<Int32>
) {
    for i in 0..<count {
        let ratio = x[i] / scale                 // the one Float rounding in the definition
        if ratio.isNaN { q[i] = qmin; continue }
        let r = Double(ratio).rounded(.toNearestOrEven) + Double(zeroPoint)
        q[i] = Int32(Swift.min(Swift.max(r, Double(qmin)), Double(qmax)))
    }
}

/// The readable definition of `dequantize`.
public func dequantizeReference(
    _ q: UnsafePointer<Int32>, count: Int, scale: Float, zeroPoint: Int32,
    into x: UnsafeMutablePointer<Float>
) {
    for i in 0..<count { x[i] = scale * Float(Int(q[i]) - Int(zeroPoint)) }
}

extension Tensor where Element == Float {
    /// These values as codes of type `Code`, one scale and zero point for the whole tensor.
    public func quantized<Code: FixedWidthInteger & BitwiseCopyable>(
        as: Code.Type, scale: Float, zeroPoint: Int32, qmin: Int32, qmax: Int32
    ) -> Tensor<Code> {
        Tensor<Code>(shape: shape) { q in
            withUnsafeBufferPointer { x in
                SlimKernels.quantize(x.baseAddress!, count: count, scale: scale, zeroPoint: zeroPoint,
                                     qmin: qmin, qmax: qmax, into: q.baseAddress!)
            }
        }
    }

    /// These values as codes of type `Code`, one scale and zero point per channel (the first
    /// dimension): `scales.count == zeroPoints.count == shape[0]`.
    public func quantizedPerChannel<Code: FixedWidthInteger & BitwiseCopyable>(
        as: Code.Type, scales: [Float], zeroPoints: [Int32], qmin: Int32, qmax: Int32
    ) -> Tensor<Code> {
        let channels = shape.first ?? 1
        precondition(scales.count == channels && zeroPoints.count == channels,
                     "quantizedPerChannel: \(channels) channels, \(scales.count) scales, \(zeroPoints.count) zero points")
        let inner = channels == 0 ? 0 : count / channels
        return Tensor<Code>(shape: shape) { q in
            withUnsafeBufferPointer { x in
                scales.withUnsafeBufferPointer { s in
                    zeroPoints.withUnsafeBufferPointer { z in
                        guard channels > 0 else { return }
                        SlimKernels.quantizePerChannel(
                            x.baseAddress!, channels: channels, elementsPerChannel: inner,
                            scales: s.baseAddress!, zeroPoints: z.baseAddress!,
                            qmin: qmin, qmax: qmax, into: q.baseAddress!)
                    }
                }
            }
        }
    }

    /// Quantize-dequantize with one scale and zero point (QAT's fake quantization).
    public func fakeQuantized(scale: Float, zeroPoint: Int32, qmin: Int32, qmax: Int32) -> Tensor<Float> {
        Tensor(shape: shape) { y in
            withUnsafeBufferPointer { x in
                SlimKernels.fakeQuantize(x.baseAddress!, y.baseAddress!, count: count, scale: scale,
                                         zeroPoint: zeroPoint, qmin: qmin, qmax: qmax)
            }
        }
    }

    /// Quantize-dequantize with one scale and zero point per channel (the first dimension).
    public func fakeQuantizedPerChannel(scales: [Float], zeroPoints: [Int32], qmin: Int32, qmax: Int32) -> Tensor<Float> {
        let channels = shape.first ?? 1
        precondition(scales.count == channels && zeroPoints.count == channels,
                     "fakeQuantizedPerChannel: \(channels) channels, \(scales.count) scales, \(zeroPoints.count) zero points")
        let inner = channels == 0 ? 0 : count / channels
        return Tensor(shape: shape) { y in
            withUnsafeBufferPointer { x in
                scales.withUnsafeBufferPointer { s in
                    zeroPoints.withUnsafeBufferPointer { z in
                        guard channels > 0 else { return }
                        SlimKernels.fakeQuantizePerChannel(
                            x.baseAddress!, y.baseAddress!, channels: channels, elementsPerChannel: inner,
                            scales: s.baseAddress!, zeroPoints: z.baseAddress!, qmin: qmin, qmax: qmax)
                    }
                }
            }
        }
    }
}

extension Tensor where Element: FixedWidthInteger {
    /// These codes back to Floats with one scale and zero point.
    public func dequantized(scale: Float, zeroPoint: Int32) -> Tensor<Float> {
        Tensor<Float>(shape: shape) { x in
            withUnsafeBufferPointer { q in
                SlimKernels.dequantize(q.baseAddress!, count: count, scale: scale, zeroPoint: zeroPoint,
                                       into: x.baseAddress!)
            }
        }
    }

    /// These codes back to Floats with one scale and zero point per channel (first dimension).
    public func dequantizedPerChannel(scales: [Float], zeroPoints: [Int32]) -> Tensor<Float> {
        let channels = shape.first ?? 1
        precondition(scales.count == channels && zeroPoints.count == channels,
                     "dequantizedPerChannel: \(channels) channels, \(scales.count) scales, \(zeroPoints.count) zero points")
        let inner = channels == 0 ? 0 : count / channels
        return Tensor<Float>(shape: shape) { x in
            withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { s in
                    zeroPoints.withUnsafeBufferPointer { z in
                        guard channels > 0 else { return }
                        SlimKernels.dequantizePerChannel(
                            q.baseAddress!, channels: channels, elementsPerChannel: inner,
                            scales: s.baseAddress!, zeroPoints: z.baseAddress!, into: x.baseAddress!)
                    }
                }
            }
        }
    }
}
