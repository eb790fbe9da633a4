/// `y[i] = max(x[i], 0)` over `count` elements; `y` may be `x` (in place).
/// A NaN input gives 0, like PyTorch's `relu` on most back ends; write `x > 0 ? x : 0`.
public func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    let zero = SIMD16<Float>(repeating: 0)
    while i + 16 <= count {
        let v = loadVector(x + i)
        UnsafeMutableRawPointer(y + i).storeBytes(of: v.replacing(with: zero, where: .!(v .> zero)),
                                                  as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { y[i] = x[i] > 0 ? x[i] : 0; i += 1 }
}

/// The readable definition of `relu`.
public func reluReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = x[i] > 0 ? x[i] : 0 }
}

/// The ReLU backward pass: `dx[i] = input[i] > 0 ? dy[i] : 0`, masking the upstream gradient
/// by where the forward input was positive. `dx` may be `dy` (in place).
public func reluBackward(
    input: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, count: Int
) {
    var i = 0
    let zero = SIMD16<Float>(repeating: 0)
    while i + 16 <= count {
        let v = loadVector(input + i)
        let g = loadVector(dy + i)
        UnsafeMutableRawPointer(dx + i).storeBytes(of: g.replacing(with: zero, where: .!(v .> zero)),
                                                   as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { dx[i] = input[i] > 0 ? dy[i] : 0; i += 1 }
}

/// The readable definition of `reluBackward`.
public func reluBackwardReference(
    input: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>, count: Int
) {
    for i in 0..<count { dx[i] = input[i] > 0 ? dy[i] : 0 }
}

extension Tensor where Element == Float {
    /// `max(x, 0)` elementwise.
    public func relu() -> Tensor<Float> {
        Tensor(shape: shape) { y in
            withUnsafeBufferPointer { x in SlimKernels.relu(x.baseAddress!, y.baseAddress!, count: count) }
        }
    }

    /// The gradient flowing into a ReLU whose forward input was `self`, given the gradient
    /// `outputGradient` flowing out of it.
    public func reluBackward(outputGradient: Tensor<Float>) -> Tensor<Float> {
        precondition(outputGradient.shape == shape,
                     "reluBackward: gradient shape \(outputGradient.shape) differs from input shape \(shape)")
        return Tensor(shape: shape) { dx in
            withUnsafeBufferPointer { x in
                outputGradient.withUnsafeBufferPointer { dy in
                    SlimKernels.reluBackward(input: x.baseAddress!, outputGradient: dy.baseAddress!,
                                             inputGradient: dx.baseAddress!, count: count)
                }
            }
        }
    }
}
