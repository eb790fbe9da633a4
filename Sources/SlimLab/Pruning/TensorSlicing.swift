import SlimKernels

extension Tensor where Element == Float {
    /// The slices at `indices` along `axis`, in the order given: how structured pruning keeps the
    /// surviving rows of a weight (axis 0) and the matching inputs of the next layer (axis 1).
    ///
    /// ```swift
    /// let w = Tensor<Float>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
    /// w.gathering([0, 2], along: 0).scalars   // [1, 2, 5, 6]
    /// w.gathering([1], along: 1).scalars      // [2, 4, 6]
    /// ```
    public func gathering(_ indices: [Int], along axis: Int) -> Tensor<Float> {
        precondition(axis >= 0 && axis < rank, "gathering: axis \(axis) for shape \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let extent = shape[axis]
        for i in indices { precondition(i >= 0 && i < extent, "gathering: index \(i) out of 0..<\(extent)") }
        var newShape = shape
        newShape[axis] = indices.count
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { target in
                var t = 0
                for o in 0..<outer {
                    for i in indices {
                        let start = (o * extent + i) * inner
                        for j in 0..<inner { target[t + j] = source[start + j] }
                        t += inner
                    }
                }
            }
        }
    }
}
