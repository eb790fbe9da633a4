#if canImport(Glibc)
import Glibc
#endif

/// How the learning rate changes over a training run.
///
/// - constant: η_t = η.
/// - step: η_t = η · γ^⌊epoch / stepEpochs⌋ (PyTorch's `StepLR`; by default γ = 0.1 every
///   ⌈epochs / 3⌉ epochs, so the rate drops twice during the run).
/// - cosine: η_t = η · ½ · (1 + cos(π · t / T)) over the run's T batches (Loshchilov & Hutter's
///   SGDR without restarts, PyTorch's `CosineAnnealingLR` to 0), which ends the run with small,
///   careful steps.
public enum LearningRateSchedule: String, Sendable, CaseIterable {
    case constant, step, cosine

    /// The rate for batch `step` (0-based, counted from the start of this run) of `totalSteps`,
    /// in epoch `epoch` (0-based) of `totalEpochs`.
    public func rate(base: Float, step: Int, totalSteps: Int, epoch: Int, totalEpochs: Int,
                     stepEpochs: Int? = nil, stepFactor: Float = 0.1) -> Float {
        switch self {
        case .constant:
            return base
        case .step:
            let every = max(1, stepEpochs ?? (totalEpochs + 2) / 3)
            return base * Float(pow(Double(stepFactor), Double(epoch / every)))
        case .cosine:
            guard totalSteps > 0 else { return base }
            let progress = Double(step) / Double(totalSteps)
            return Float(Double(base) * 0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
