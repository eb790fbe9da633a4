/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable, Equatable {
    case none
    case transposed
}

/// C = α·op(A)·op(B) + β·C, the readable way: three loops, a Double accumulator.
///
/// op(A) is m×k and op(B) is k×n. A is stored row-major with leading dimension `lda`
/// (m×k when not transposed, k×m when transposed); likewise B (`ldb`) and C (m×n, `ldc`).
/// When β is 0, C is not read (so it may hold NaN). This is the definition the fast
/// kernel is tested against.
public func gemmReference(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k {
                let x = transA == .none ? a[i * lda + p] : a[p * lda + i]
                let y = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += Double(x) * Double(y)
            }
            let previous = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
            c[i * ldc + j] = Float(Double(alpha) * sum + previous)
        }
    }
}
