import SlimKernels
import Synchronization

/// A kernel that is a function of some tensors (a layer's weight, mask and bias, or a whole
/// model's parameters) and of a fixed specification (a CSR layout, a quantization spec, the
/// int8 engine's activation grids): the one owner of derived inference state.
///
/// The slot keeps the tensors the kernel was last derived from. Whoever asks for the kernel
/// gets one that matches the tensors as they are *now*: when they changed (training, a new
/// mask, a shrunk layer), it is derived again from the specification. So nobody strips a
/// kernel before training and re-applies it afterwards; a kernel cannot go stale.
///
/// Weight-sharing codebooks are kept the same way (`Model.codebooks`): a codebook is a function
/// of its tensor and mask, and follows them or is gone.
///
/// Copies of a layer share the slot (it is a cache, not state): two variants that differ in
/// their weights each get their own kernel, at the cost of deriving it again when the other
/// one ran last. Comparing the tensors costs one pass over the parameters, far less than the
/// product the kernel then computes.
final class DerivedKernelSlot<Kernel: Sendable>: Sendable {
    /// The kernel as first made (by a technique, or by a file): the specification every later
    /// derivation starts from.
    let template: Kernel
    private let latest: Mutex<(sources: [Tensor<Float>], kernel: Kernel?)>

    /// A slot holding `kernel`, made from `sources`.
    init(_ kernel: Kernel, sources: [Tensor<Float>]) {
        self.template = kernel
        self.latest = Mutex((sources, kernel))
    }

    /// The kernel for `sources` as they are now: the one last derived when they are the same,
    /// else `derive(template)` — the same specification built from them (nil when it no
    /// longer applies, e.g. a block format whose rows no longer split into blocks; the layer
    /// then computes in Float).
    func kernel(for sources: [Tensor<Float>], derive: (Kernel) -> Kernel?) -> Kernel? {
        let cached: Kernel?? = latest.withLock { entry in
            Self.bitwiseEqual(entry.sources, sources) ? .some(entry.kernel) : .none
        }
        if let cached { return cached }
        let fresh = derive(template)
        latest.withLock { $0 = (sources, fresh) }
        return fresh
    }

    /// Equal shapes and equal bits (so a NaN weight matches itself and −0 differs from 0).
    static func bitwiseEqual(_ a: [Tensor<Float>], _ b: [Tensor<Float>]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.shape == y.shape else { return false }
            let same = x.withUnsafeBufferPointer { p in
                y.withUnsafeBufferPointer { q in
                    if p.baseAddress == q.baseAddress { return true }
                    for i in 0..<p.count where p[i].bitPattern != q[i].bitPattern { return false }
                    return true
                }
            }
            guard same else { return false }
        }
        return true
    }
}
