extension Tensor where Element == Float {
    /// `op(self) · op(other)` for matrices, on the fast GEMM: `op` transposes when asked.
    /// A Dense layer's forward pass is `x.matmul(weight, transposeOther: true)` for `[out, in]`
    /// weights; its gradients are `dY.matmul(weight)` and `dY.matmul(x, transposeSelf: true)`.
    public func matmul(_ other: Tensor<Float>, transposeSelf: Bool = false, transposeOther: Bool = false,
                       pool: ComputePool) -> Tensor<Float> {
        precondition(rank == 2 && other.rank == 2,
                     "matmul: needs two matrices, got shapes \(shape) and \(other.shape)")
        let m = transposeSelf ? shape[1] : shape[0], k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0], n = transposeOther ? other.shape[0] : other.shape[1]
        precondition(k == k2, "matmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")")
        return Tensor(shape: [m, n]) { c in
            withUnsafeBufferPointer { a in
                other.withUnsafeBufferPointer { b in
                    gemm(transposeSelf ? .transposed : .none, transposeOther ? .transposed : .none,
                         m: m, n: n, k: k, a: a.baseAddress!, lda: shape[1],
                         b: b.baseAddress!, ldb: other.shape[1], c: c.baseAddress!, ldc: n, pool: pool)
                }
            }
        }
    }
}
