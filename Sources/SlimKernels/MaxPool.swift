/// Max pooling over each `height×width` plane of an NCHW tensor (`planes = N·C`), window
/// `window×window` moved by `stride` (2 and 2: the classic halving), no padding. Output planes
/// are `⌊(H − window)/stride⌋ + 1` by `⌊(W − window)/stride⌋ + 1`.
///
/// `argmax`, when given, receives for each output element the flat index into `x` of the
/// maximum it took (the first in row-major order on ties, as PyTorch does), which is all the
/// backward pass needs. A NaN in a window is never chosen over a number.
public func maxPool2D(
    _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
    window: Int = 2, stride: Int = 2,
    output y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int>?
) {
    precondition(window >= 1 && stride >= 1, "maxPool2D: window \(window) and stride \(stride) must be ≥ 1")
    let oh = pooledSize(height, window, stride), ow = pooledSize(width, window, stride)
    if window == 2 && stride == 2 {
        maxPool2x2(x, planes: planes, height: height, width: width, oh: oh, ow: ow, output: y, argmax: argmax)
        return
    }
    for p in 0..<planes {
        let plane = p * height * width
        for oy in 0..<oh {
            for ox in 0..<ow {
                var best = plane + (oy * stride) * width + ox * stride
                var bestValue = x[best]
                for ky in 0..<window {
                    let rowStart = plane + (oy * stride + ky) * width + ox * stride
                    for kx in 0..<window {
                        let v = x[rowStart + kx]
                        if v > bestValue || (bestValue.isNaN && !v.isNaN) { bestValue = v; best = rowStart + kx }
                    }
                }
                let o = (p * oh + oy) * ow + ox
                y[o] = bestValue
                argmax?[o] = best
            }
        }
    }
}

/// `maxPool2D` for the classic 2×2 window moved by 2, unrolled and without branches on the
/// data: the same four comparisons in the same order (row-major, first maximum kept, NaN never
/// chosen over a number), made on integer keys that order Floats as `>` does (see
/// `poolingKey`), with conditional moves. Comparing the Floats themselves made the compiler
/// branch on every comparison, and after a ReLU (many zeros, many ties) those branches were
/// mispredicted half the time.
func maxPool2x2(
    _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int, oh: Int, ow: Int,
    output y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int>?
) {
    let bits = UnsafeRawPointer(x).assumingMemoryBound(to: UInt32.self)
    @inline(__always) func pool(_ top: Int) -> (value: UInt32, index: Int) {
        var best = bits[top], bestKey = poolingKey(best), index = top
        @inline(__always) func consider(_ i: Int) {
            let v = bits[i], key = poolingKey(v)
            let take = key > bestKey
            best = take ? v : best
            bestKey = take ? key : bestKey
            index = take ? i : index
        }
        consider(top + 1); consider(top + width); consider(top + width + 1)
        return (best, index)
    }
    for p in 0..<planes {
        let plane = p * height * width
        for oy in 0..<oh {
            let top = plane + 2 * oy * width, out = (p * oh + oy) * ow
            if let argmax {
                for ox in 0..<ow {
                    let (value, index) = pool(top + 2 * ox)
                    y[out + ox] = Float(bitPattern: value)
                    argmax[out + ox] = index
                }
            } else {
                for ox in 0..<ow { y[out + ox] = Float(bitPattern: pool(top + 2 * ox).value) }
            }
        }
    }
}

/// An integer that orders Float bit patterns as `>` orders the Floats, for max pooling: −0 and
/// +0 equal, every NaN below every number (so a NaN is never chosen over a number, and a NaN
/// that came first is replaced by the first number).
@inline(__always)
func poolingKey(_ raw: UInt32) -> Int32 {
    let magnitude = raw & 0x7FFF_FFFF
    let ordered = raw & 0x8000_0000 == 0 ? Int32(bitPattern: magnitude) : -Int32(bitPattern: magnitude)
    return magnitude > 0x7F80_0000 ? Int32.min : ordered
}

/// The max-pool backward pass: `dx` (`inputCount` elements, overwritten) gets each output
/// gradient added at the index its maximum came from, zero elsewhere.
public func maxPool2DBackward(
    outputGradient dy: UnsafePointer<Float>, argmax: UnsafePointer<Int>, outputCount: Int,
    inputGradient dx: UnsafeMutablePointer<Float>, inputCount: Int
) {
    dx.initialize(repeating: 0, count: inputCount)
    for o in 0..<outputCount { dx[argmax[o]] += dy[o] }
}

/// The readable definition of `maxPool2DBackward`.
public func maxPool2DBackwardReference(
    outputGradient dy: UnsafePointer<Float>, argmax: UnsafePointer<Int>, outputCount: Int,
    inputGradient dx: UnsafeMutablePointer<Float>, inputCount: Int
) {
    for i in 0..<inputCount {
        var sum: Float = 0
        for o in 0..<outputCount where argmax[o] == i { sum += dy[o] }
        dx[i] = sum
    }
}

/// The pooled size of one dimension: `⌊(size − window)/stride⌋ + 1`, or 0 if the window does not fit.
public func pooledSize(_ size: Int, _ window: Int, _ stride: Int) -> Int {
    size < window ? 0 : (size - window) / stride + 1
}

/// The readable definition of `maxPool2D`.
public func maxPool2DReference(
    _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
    window: Int = 2, stride: Int = 2,
    output y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int>?
) {
    let oh = pooledSize(height, window, stride), ow = pooledSize(width, window, stride)
    var o = 0
    for p in 0..<planes {
        for oy in 0..<oh {
            for ox in 0..<ow {
                var candidates: [(index: Int, value: Float)] = []
                for ky in 0..<window {
                    for kx in 0..<window {
                        let i = (p * height + oy * stride + ky) * width + ox * stride + kx
                        candidates.append((i, x[i]))
                    }
                }
                let numbers = candidates.filter { !$0.value.isNaN }
                let top = numbers.max { $0.value < $1.value }?.value
                let chosen = numbers.first { $0.value == top } ?? candidates[0]
                y[o] = chosen.value
                argmax?[o] = chosen.index
                o += 1
            }
        }
    }
}

extension Tensor where Element == Float {
    /// Max pooling of this `[N, C, H, W]` tensor; returns the pooled tensor and, for each of
    /// its elements, the flat index of the input element it came from.
    public func maxPool2D(window: Int = 2, stride: Int = 2) -> (output: Tensor<Float>, argmax: [Int]) {
        precondition(rank == 4, "maxPool2D: needs [N, C, H, W], got shape \(shape)")
        let oh = pooledSize(shape[2], window, stride), ow = pooledSize(shape[3], window, stride)
        let outShape = [shape[0], shape[1], oh, ow]
        let outCount = outShape.reduce(1, *)
        var indices = [Int](repeating: 0, count: outCount)
        let output = Tensor(shape: outShape) { y in
            withUnsafeBufferPointer { x in
                indices.withUnsafeMutableBufferPointer { a in
                    guard outCount > 0 else { return }
                    SlimKernels.maxPool2D(x.baseAddress!, planes: shape[0] * shape[1], height: shape[2],
                                          width: shape[3], window: window, stride: stride,
                                          output: y.baseAddress!, argmax: a.baseAddress!)
                }
            }
        }
        return (output, indices)
    }

    /// The input gradient of a max pool whose input had shape `inputShape`, from this output
    /// gradient and the `argmax` the forward pass returned.
    public func maxPool2DBackward(argmax: [Int], inputShape: [Int]) -> Tensor<Float> {
        precondition(argmax.count == count, "maxPool2DBackward: \(argmax.count) indices for \(count) gradients")
        return Tensor(shape: inputShape) { dx in
            withUnsafeBufferPointer { dy in
                argmax.withUnsafeBufferPointer { a in
                    if count == 0 { dx.initialize(repeating: 0); return }
                    SlimKernels.maxPool2DBackward(outputGradient: dy.baseAddress!, argmax: a.baseAddress!,
                                                  outputCount: count, inputGradient: dx.baseAddress!,
                                                  inputCount: dx.count)
                }
            }
        }
    }
}
