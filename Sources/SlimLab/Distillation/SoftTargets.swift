#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

/// The teacher's side of a distillation run, computed once: its logits for every sample of the
/// transfer set, the softened probabilities p_t = softmax(z_t/T) the student learns from, and
/// each row's entropy H(p_t) (the constant that turns the soft cross-entropy into the KL
/// divergence). The teacher never runs again during training.
public struct SoftTargets: Sendable {
    /// z_t, `[samples, classes]`.
    public var logits: Tensor<Float>
    /// T.
    public var temperature: Float
    /// softmax(z_t/T), `[samples, classes]`.
    public var probabilities: Tensor<Float>
    /// H(p_t) = −Σⱼ p_tj·log p_tj per sample, in nats.
    public var entropies: [Double]

    /// Runs `teacher` once over `features` (in batches) and softens its logits at `temperature`.
    public init(teacher: Model, features: Tensor<Float>, temperature: Float, pool: ComputePool, batchSize: Int = 256) {
        let count = features.shape[0]
        var pieces: [Tensor<Float>] = []
        var start = 0
        while start < count {
            let end = min(count, start + batchSize)
            pieces.append(teacher.logits(features.rows(start..<end), pool: pool))
            start = end
        }
        self.init(logits: Self.stacked(pieces, columns: teacher.classCount), temperature: temperature)
    }

    /// Soft targets from logits computed elsewhere.
    public init(logits: Tensor<Float>, temperature: Float) {
        precondition(logits.rank == 2, "SoftTargets: logits \(logits.shape), expected [samples, classes]")
        self.logits = logits
        self.temperature = temperature
        self.probabilities = logits.softmax(temperature: temperature)
        self.entropies = Self.entropies(of: probabilities)
    }

    /// The number of samples.
    public var count: Int { logits.shape[0] }

    /// H(p) of each row of probabilities `[rows, classes]` (terms with p = 0 count 0).
    public static func entropies(of probabilities: Tensor<Float>) -> [Double] {
        let (rows, classes) = (probabilities.shape[0], probabilities.shape[1])
        return probabilities.withUnsafeBufferPointer { p in
            (0..<rows).map { i in
                var h: Double = 0
                for j in 0..<classes {
                    let v = Double(p[i * classes + j])
                    if v > 0 { h -= v * log(v) }
                }
                return h
            }
        }
    }

    static func stacked(_ pieces: [Tensor<Float>], columns: Int) -> Tensor<Float> {
        let rows = pieces.reduce(0) { $0 + $1.shape[0] }
        return Tensor(shape: [rows, columns]) { target in
            var offset = 0
            for piece in pieces {
                piece.withUnsafeBufferPointer { source in
                    if source.count > 0 { (target.baseAddress! + offset).update(from: source.baseAddress!, count: source.count) }
                    offset += source.count
                }
            }
        }
    }
}
