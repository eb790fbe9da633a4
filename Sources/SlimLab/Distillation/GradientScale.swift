#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

/// How large the soft term's gradient is at one temperature, beside the hard term's — the
/// measurement behind the T² factor. ∂KL/∂z_s = (q_s − p_t)/(T·B) shrinks roughly like 1/T²
/// as T grows; multiplied by T² it stays about the same size, so the α that balances the two
/// terms keeps meaning the same thing whatever T is.
public struct GradientScale: Sendable, Equatable {
    public var temperature: Float
    /// ‖∂KL/∂z_s‖ (Frobenius norm over the batch), without any factor.
    public var softNorm: Double
    /// ‖∂CE/∂z_s‖ over the same batch.
    public var hardNorm: Double

    /// ‖T²·∂KL/∂z_s‖.
    public var scaledSoftNorm: Double { softNorm * Double(temperature) * Double(temperature) }
    /// ‖∂KL/∂z_s‖ / ‖∂CE/∂z_s‖: the soft gradient's size relative to the hard one, without T².
    public var ratio: Double { hardNorm > 0 ? softNorm / hardNorm : .nan }
    /// The same with T².
    public var scaledRatio: Double { hardNorm > 0 ? scaledSoftNorm / hardNorm : .nan }

    /// How the two terms' gradients compare inside `loss` at this temperature:
    /// ‖α·T²·∂KL/∂z‖ / ‖(1 − α)·∂CE/∂z‖ (α·‖∂KL/∂z‖ without T²); infinite when α = 1.
    public func weightedRatio(_ loss: DistillationLoss) -> Double {
        let t = Double(temperature)
        let soft = Double(loss.alpha) * softNorm * (loss.scalesByTemperatureSquared ? t * t : 1)
        let hard = loss.hardWeight * hardNorm
        return hard > 0 ? soft / hard : .infinity
    }

    /// The temperatures measured: 1, 2, 4, 8 and the run's own.
    public static func temperatures(including chosen: Float) -> [Float] {
        Array(Set([1, 2, 4, 8, chosen])).sorted()
    }

    /// Measures both gradients of `student` on rows `indices` of the transfer set (their true
    /// labels for the hard term), at each temperature, from the teacher's logits.
    public static func measure(student: Model, transfer: Dataset, teacherLogits: Tensor<Float>, indices: [Int],
                               temperatures: [Float], pool: ComputePool) -> [GradientScale] {
        let features = transfer.features.gatherRows(indices)
        let logits = student.logits(features, pool: pool)
        let teacher = teacherLogits.gatherRows(indices)
        let labels: [Int?] = indices.map { transfer.labels[$0] }
        return temperatures.map { t in
            let loss = DistillationLoss(temperature: t, alpha: 0.5)
            let terms = loss.terms(studentLogits: logits, teacherProbabilities: teacher.softmax(temperature: t), labels: labels)
            return GradientScale(temperature: t, softNorm: norm(terms.softGradient), hardNorm: norm(terms.hardGradient))
        }
    }

    static func norm(_ tensor: Tensor<Float>) -> Double {
        tensor.withUnsafeBufferPointer { v in sqrt(v.reduce(0) { $0 + Double($1) * Double($1) }) }
    }
}
