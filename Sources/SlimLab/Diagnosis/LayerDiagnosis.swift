/// One compressed layer of a diagnosis: how it is stored and how far its output moved.
public struct LayerDiagnosis: Sendable, Equatable {
    /// The layer (`fc1`).
    public var layer: String
    /// The weight's code width in the compressed variant (32 for Float storage).
    public var bits: Int
    /// Pruned weights (zeros of its pruning mask) over all weights, in the compressed variant;
    /// weights that merely round to code 0 do not count.
    public var sparsity: Double
    /// The compressed variant's weights (as the forward uses them), smallest and largest.
    public var weightRange: ClosedRange<Float>
    /// The float variant's output of this layer on the batch, smallest and largest.
    public var activationRange: ClosedRange<Float>
    /// Only this layer compressed (its input is the float model's).
    public var isolated: OutputError
    /// Every layer up to and including this one compressed.
    public var accumulated: OutputError
    /// 1 for the layer whose isolated error is largest (lowest SQNR), and so on.
    public var rank: Int
}
