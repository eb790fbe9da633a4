#if arch(x86_64)
/// One row of a sparse × dense product on AVX2: `out[0..<n] (=|+=) Σ_q values[q]·B[indices[q], :]`.
///
/// Each output element is one chain of fused multiply-adds over the non-zeros in their stored
/// (ascending column) order, starting from 0 — the order the dense GEMM sums the same row
/// in, minus the terms whose weight is zero — then stored (`merge` 0) or added to `out`
/// (`merge` 2), as the GEMM merges one reduction block. So a pruned layer gives the same bits
/// on this kernel and on the GEMM. 64 columns at a time keep eight independent chains in flight.
@inline(never)
public func avx2SparseRow(
    _ values: UnsafePointer<Float>, _ indices: UnsafePointer<Int32>, _ count: Int,
    b: UnsafePointer<Float>, ldb: Int, n: Int, out: UnsafeMutablePointer<Float>, merge: TileMerge
) {
    @inline(__always) func put(_ j: Int, _ v: SIMD8<Float>) {
        let o = UnsafeMutableRawPointer(out + j)
        o.storeBytes(of: merge == 0 ? v : v + o.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
    }
    var j = 0
    while j + 64 <= n {
        var s0 = SIMD8<Float>(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
        for q in 0..<count {
            let v = SIMD8<Float>(repeating: values[q])
            let row = UnsafeRawPointer(b + (Int(indices[q]) &* ldb &+ j))
            s0 = s0.addingProduct(v, row.loadUnaligned(as: SIMD8<Float>.self))
            s1 = s1.addingProduct(v, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            s2 = s2.addingProduct(v, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            s3 = s3.addingProduct(v, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            s4 = s4.addingProduct(v, row.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self))
            s5 = s5.addingProduct(v, row.loadUnaligned(fromByteOffset: 160, as: SIMD8<Float>.self))
            s6 = s6.addingProduct(v, row.loadUnaligned(fromByteOffset: 192, as: SIMD8<Float>.self))
            s7 = s7.addingProduct(v, row.loadUnaligned(fromByteOffset: 224, as: SIMD8<Float>.self))
        }
        put(j, s0); put(j + 8, s1); put(j + 16, s2); put(j + 24, s3)
        put(j + 32, s4); put(j + 40, s5); put(j + 48, s6); put(j + 56, s7)
        j += 64
    }
    while j + 16 <= n {
        var s0 = SIMD8<Float>(), s1 = s0
        for q in 0..<count {
            let v = SIMD8<Float>(repeating: values[q])
            let row = UnsafeRawPointer(b + (Int(indices[q]) &* ldb &+ j))
            s0 = s0.addingProduct(v, row.loadUnaligned(as: SIMD8<Float>.self))
            s1 = s1.addingProduct(v, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
        }
        put(j, s0); put(j + 8, s1)
        j += 16
    }
    while j < n {
        var s: Float = 0
        for q in 0..<count { s = s.addingProduct(values[q], b[Int(indices[q]) &* ldb &+ j]) }
        out[j] = merge == 0 ? s : s + out[j]
        j += 1
    }
}
#endif
