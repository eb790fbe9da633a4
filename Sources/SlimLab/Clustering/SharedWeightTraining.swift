#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

/// Fine-tuning of shared weights (Deep Compression §3.3): after each optimizer step, every
/// clustered tensor's centroids learn from the gradients of their members, summed,
///
///     ∂L/∂C_k = Σ_ij ∂L/∂W_ij · 1(I_ij = k),
///
/// with the run's update rule (Adam or SGD with momentum, no weight decay), and the tensor is
/// written back as W_ij = C[I_ij]: the assignments never change, pruned entries stay zero.
/// A model without codebooks is left alone.
struct SharedWeightTraining {
    let options: TrainingOptions
    /// The codebooks as the run found them, trained here step by step (read once: after the
    /// optimizer's step the tensors no longer hold their centroids, so the model's own
    /// codebooks would not follow them until this step writes them back).
    private var codebooks: [String: WeightCodebook]
    private var steps = 0
    private var firstMoments: [String: [Float]] = [:]
    private var secondMoments: [String: [Float]] = [:]

    init(options: TrainingOptions, model: Model) {
        self.options = options
        self.codebooks = model.codebooks
    }

    /// The grouped gradient of every centroid of `codebook` from the tensor's gradient.
    static func centroidGradients(_ codebook: WeightCodebook, gradient: Tensor<Float>) -> [Float] {
        var sums = [Double](repeating: 0, count: codebook.clusterCount)
        gradient.withUnsafeBufferPointer { g in
            for (i, a) in codebook.assignments.enumerated() where a >= 0 { sums[Int(a)] += Double(g[i]) }
        }
        return sums.map { Float($0) }
    }

    mutating func step(_ model: inout Model, learningRate: Float) {
        guard !codebooks.isEmpty else { return }
        steps += 1
        let t = Double(steps)
        let correction1 = Float(1 - pow(Double(options.beta1), t)), correction2 = Float(1 - pow(Double(options.beta2), t))
        for name in codebooks.keys.sorted() {
            guard var codebook = codebooks[name], let parameter = try? model.parameter(named: name) else { continue }
            let gradients = Self.centroidGradients(codebook, gradient: parameter.gradient)
            var m = firstMoments[name] ?? [Float](repeating: 0, count: gradients.count)
            var v = secondMoments[name] ?? [Float](repeating: 0, count: gradients.count)
            for k in gradients.indices {
                let g = gradients[k]
                switch options.optimizer {
                case .sgd:
                    m[k] = options.momentum * m[k] + g
                    codebook.centroids[k] -= learningRate * m[k]
                case .adam:
                    m[k] = options.beta1 * m[k] + (1 - options.beta1) * g
                    v[k] = options.beta2 * v[k] + (1 - options.beta2) * g * g
                    let mHat = m[k] / correction1, vHat = v[k] / correction2
                    codebook.centroids[k] -= learningRate * mHat / (vHat.squareRoot() + options.epsilon)
                }
            }
            firstMoments[name] = m
            secondMoments[name] = v
            let shape = parameter.value.shape
            try? model.updateParameter(named: name) { $0.value = codebook.values(shape: shape) }
            codebooks[name] = codebook
        }
        // Every tensor holds its centroids again: record the codebooks against them.
        model.codebooks = codebooks
    }
}
