import SlimKernels

/// A trainable tensor of a layer, with the gradient of the last backward pass and an optional
/// pruning mask.
///
/// The layer owns its parameters; the optimizer reaches them through `Layer.parameters` and
/// updates `value` in place. When `mask` is set (1 keeps, 0 prunes), training keeps the pruned
/// entries at exactly zero: the optimizer multiplies the gradient by the mask before the update
/// and the value by the mask after it (as `torch.nn.utils.prune` does with `weight_mask`).
public struct Parameter: Sendable {
    /// What the tensor is for: weight decay and pruning apply to weights, not biases.
    public enum Role: String, Sendable, CaseIterable {
        case weight, bias
    }

    /// The name inside the layer (`weight`, `bias`); the model-wide name is `layer.name`.
    public var name: String
    public var role: Role
    /// The current values.
    public var value: Tensor<Float>
    /// ∂loss/∂value from the last backward pass (same shape as `value`).
    public var gradient: Tensor<Float>
    /// 1 where the entry is kept, 0 where it is pruned (same shape as `value`), or nil.
    public var mask: Tensor<Float>?

    public init(name: String, role: Role, value: Tensor<Float>, mask: Tensor<Float>? = nil) {
        if let mask {
            precondition(mask.shape == value.shape,
                         "Parameter \(name): mask shape \(mask.shape) differs from value shape \(value.shape)")
        }
        self.name = name
        self.role = role
        self.value = value
        self.gradient = Tensor.zeros(value.shape)
        self.mask = mask
    }

    /// The number of entries.
    public var count: Int { value.count }

    /// The number of entries that are not exactly zero.
    public var nonZeroCount: Int {
        value.withUnsafeBufferPointer { buffer in
            var n = 0
            for x in buffer where x != 0 { n += 1 }
            return n
        }
    }

    /// Multiplies `value` by `mask`, so pruned entries are exactly zero (no-op without a mask).
    public mutating func applyMask() {
        guard let mask else { return }
        value.withUnsafeMutableBufferPointer { v in
            mask.withUnsafeBufferPointer { m in
                for i in 0..<v.count { v[i] *= m[i] }
            }
        }
    }

    /// Multiplies `gradient` by `mask`, so an update cannot revive a pruned entry.
    public mutating func maskGradient() {
        guard let mask else { return }
        gradient.withUnsafeMutableBufferPointer { g in
            mask.withUnsafeBufferPointer { m in
                for i in 0..<g.count { g[i] *= m[i] }
            }
        }
    }
}
