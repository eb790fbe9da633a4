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

/// `gemm`'s exact arithmetic, one element at a time in scalar code: every fast path must give
/// these bits. For each element, the reduction is cut into blocks of `gemmReductionBlock(k:)`;
/// each block is one chain of fused multiply-adds over `p` in ascending order from 0; the
/// first block's sum `t` gives `C = α·t` (β = 0) or `C = α·t + β·C`, each later one
/// `C = α·t + C` (`α·t` is `t` when α is 1; no step but the chain is fused).
public func gemmOrderedReference(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    let kc = gemmReductionBlock(k: k)
    for i in 0..<m {
        for j in 0..<n {
            let out = c + i * ldc + j
            if k == 0 || alpha == 0 {
                out.pointee = beta == 0 ? 0 : (beta == 1 ? out.pointee : out.pointee * beta)
                continue
            }
            var p0 = 0
            while p0 < k {
                var t: Float = 0
                for p in p0..<min(k, p0 + kc) {
                    let x = transA == .none ? a[i * lda + p] : a[p * lda + i]
                    let y = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                    t = t.addingProduct(x, y)
                }
                let scaled = alpha == 1 ? t : t * alpha
                if p0 > 0 { out.pointee = scaled + out.pointee }
                else if beta == 0 { out.pointee = scaled }
                else { out.pointee = scaled + out.pointee * beta }
                p0 += kc
            }
        }
    }
}
