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
    if m <= 0 || n <= 0 { return }
    let rowsPerTask = 16
    pool.parallelFor((m + rowsPerTask - 1) / rowsPerTask) { task in
        for i in (task * rowsPerTask)..<min(m, (task + 1) * rowsPerTask) {
            let out = c + i * ldc
            if beta == 0 {
                out.initialize(repeating: 0, count: n)
            } else if beta != 1 {
                for j in 0..<n { out[j] *= beta }
            }
            if k == 0 || alpha == 0 { continue }
            if transB == .none {
                for p in 0..<k {
                    let x = alpha * (transA == .none ? a[i * lda + p] : a[p * lda + i])
                    let row = b + p * ldb
                    for j in 0..<n { out[j] += x * row[j] }
                }
            } else {
                for j in 0..<n {
                    let row = b + j * ldb
                    var sum: Float = 0
                    for p in 0..<k { sum += (transA == .none ? a[i * lda + p] : a[p * lda + i]) * row[p] }
                    out[j] += alpha * sum
                }
            }
        }
    }
}
