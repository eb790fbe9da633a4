/// C = α·op(A)·op(B) + β·C on the fast path (see `gemmReference` for the definition and
/// the storage conventions). Results are bit-identical for any `pool.threadCount`.
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    pool: ComputePool
) {
    // Interim: the reference. The blocked, packed, SIMD kernel replaces this body.
    gemmReference(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
}
