#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

/// Mini-batch SGD with momentum, or Adam, with L2 weight decay and pruning masks respected.
///
/// For every parameter, one step does:
/// 1. g ← g ⊙ mask (a pruned weight gets no gradient);
/// 2. g ← g + λ·w for weights (L2 weight decay; biases are not decayed);
/// 3. SGD: v ← μ·v + g, w ← w − η·v.
///    Adam: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ),
///    w ← w − η·m̂ / (√v̂ + ε);
/// 4. w ← w ⊙ mask, so pruned weights stay exactly zero.
///
/// The optimizer's state (v, or m and v) belongs to one training run; a new run starts fresh.
public struct Optimizer: Sendable {
    public let kind: TrainingOptions.OptimizerKind
    public let momentum: Float
    public let weightDecay: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// Updates done so far (Adam's t).
    public private(set) var stepCount = 0
    /// The numbers of the last update of one weight, for `formula sgd|adam`.
    public private(set) var lastUpdate: UpdateExample?

    private var firstMoments: [Tensor<Float>] = []
    /// The entry of the first weight tensor that `lastUpdate` follows: the one with the largest
    /// gradient at the first step, so the example shows a weight that is actually learning.
    private var exampleIndex: Int?
    private var secondMoments: [Tensor<Float>] = []

    public init(options: TrainingOptions) {
        kind = options.optimizer
        momentum = options.momentum
        weightDecay = options.weightDecay
        beta1 = options.beta1
        beta2 = options.beta2
        epsilon = options.epsilon
    }

    /// Applies one update to every parameter of `model` from its current gradients (large
    /// tensors split over `pool`'s threads, which does not change the bits).
    public mutating func step(_ model: inout Model, learningRate: Float, pool: ComputePool? = nil) {
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = Float(1 - pow(Double(beta1), t)), correction2 = Float(1 - pow(Double(beta2), t))
        var index = 0
        var example: UpdateExample?
        let kind = kind, momentum = momentum, beta1 = beta1, beta2 = beta2, epsilon = epsilon
        let weightDecay = weightDecay
        model.updateParameters { name, parameter in
            if firstMoments.count <= index {
                firstMoments.append(.zeros(parameter.value.shape))
                secondMoments.append(kind == .adam ? .zeros(parameter.value.shape) : .zeros([0]))
            }
            parameter.maskGradient()
            let decay: Float = parameter.role == .weight ? weightDecay : 0
            if example == nil && parameter.role == .weight && parameter.count > 0 {
                let e = exampleIndex ?? parameter.gradient.withUnsafeBufferPointer { g in
                    g.indices.max { abs(g[$0]) < abs(g[$1]) || (abs(g[$0]) == abs(g[$1]) && $0 > $1) } ?? 0
                }
                exampleIndex = e
                example = UpdateExample(optimizer: kind, parameter: name, index: e, step: stepCount,
                                        learningRate: learningRate, weightBefore: parameter.value[flat: e],
                                        gradient: parameter.gradient[flat: e], weightDecay: decay,
                                        momentum: momentum, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                        firstMomentBefore: firstMoments[index][flat: e],
                                        secondMomentBefore: kind == .adam ? secondMoments[index][flat: e] : 0,
                                        firstMoment: 0, secondMoment: 0, weightAfter: 0)
            }
            let gradient = parameter.gradient
            parameter.value.withUnsafeMutableBufferPointer { w in
                gradient.withUnsafeBufferPointer { g in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        switch kind {
                        case .sgd:
                            Self.sgdUpdate(w.baseAddress!, g.baseAddress!, m.baseAddress!, count: w.count,
                                           decay: decay, momentum: momentum, learningRate: learningRate)
                        case .adam:
                            secondMoments[index].withUnsafeMutableBufferPointer { v in
                                adamUpdate(w.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!,
                                                count: w.count, decay: decay, beta1: beta1, beta2: beta2,
                                                step: learningRate / correction1, correction2: correction2,
                                                epsilon: epsilon, pool: pool)
                            }
                        }
                    }
                }
            }
            parameter.applyMask()
            if var filled = example, filled.parameter == name {
                let e = filled.index
                filled.firstMoment = firstMoments[index][flat: e]
                filled.secondMoment = kind == .adam ? secondMoments[index][flat: e] : 0
                filled.weightAfter = parameter.value[flat: e]
                example = filled
            }
            index += 1
        }
        lastUpdate = example
    }

    /// v ← μ·v + (g + λ·w), w ← w − η·v, sixteen lanes at a time (the same bits as one at a time:
    /// every operation is a correctly rounded IEEE operation, none fused).
    static func sgdUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                          count: Int, decay: Float, momentum: Float, learningRate: Float) {
        typealias V = SIMD16<Float>
        var i = 0
        while i + 16 <= count {
            let wv = load(w + i), grad = load(g + i) + V(repeating: decay) * wv
            let mv = V(repeating: momentum) * load(m + i) + grad
            store(mv, m + i)
            store(wv - V(repeating: learningRate) * mv, w + i)
            i += 16
        }
        while i < count {
            let grad = g[i] + decay * w[i]
            m[i] = momentum * m[i] + grad
            w[i] -= learningRate * m[i]
            i += 1
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    private static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { load(UnsafePointer(p)) }

    @inline(__always)
    private static func store(_ value: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD16<Float>.self)
    }
}

/// One weight's update with every number that went into it, so `formula sgd` or
/// `formula adam` can show the rule with the real values substituted.
public struct UpdateExample: Sendable, Equatable {
    public var optimizer: TrainingOptions.OptimizerKind
    /// The parameter (`fc1.weight`) and the flat index of the entry.
    public var parameter: String
    public var index: Int
    /// The update's number t (1-based).
    public var step: Int
    public var learningRate: Float
    public var weightBefore: Float
    /// ∂loss/∂w of the batch, before weight decay.
    public var gradient: Float
    public var weightDecay: Float
    public var momentum: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// SGD's velocity or Adam's m, before and after the step.
    public var firstMomentBefore: Float
    /// Adam's v before the step (0 for SGD).
    public var secondMomentBefore: Float
    public var firstMoment: Float
    public var secondMoment: Float
    public var weightAfter: Float
}
