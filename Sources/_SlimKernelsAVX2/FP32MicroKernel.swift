#if arch(x86_64)
/// The AVX2 fp32 GEMM micro-kernel: a 6×16 tile of C in twelve 8-lane registers (ymm), plus
/// two for the row of packed B and one broadcast: 15 of the 16 registers, so nothing spills
/// (the 8×32 tile of the AVX-512 path would need 32 of them here).
///
/// Each element of the tile is one chain of fused multiply-adds over `p = 0 ..< depth`, in
/// that order, starting from 0 — exactly what the AVX-512 and generic kernels compute, so
/// every path gives the same bits. op(A) is read in place, element `(r, p)` at
/// `a + r·rowStride + p·depthStride`; rows past `rows` re-read row 0 (their results are
/// discarded). `b` is a packed panel `[depth][16]`, zero past the valid columns. The top-left
/// `rows × columns` corner is merged into C as `merge` says (see `TileMerge`).
@inline(never)
public func avx2GEMMTile6x16(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    alpha: Float, merge: TileMerge, beta: Float
) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    @inline(__always) func rowStart(_ r: Int) -> UnsafePointer<Float> { a + (r < rows ? r : 0) * rowStride }
    let a0 = rowStart(0), a1 = rowStart(1), a2 = rowStart(2)
    let a3 = rowStart(3), a4 = rowStart(4), a5 = rowStart(5)
    var offset = 0
    var bp = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let b0 = bp.load(as: SIMD8<Float>.self)
        let b1 = bp.load(fromByteOffset: 32, as: SIMD8<Float>.self)
        var x = SIMD8<Float>(repeating: a0[offset])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: a1[offset])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: a2[offset])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: a3[offset])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: a4[offset])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: a5[offset])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        offset &+= depthStride
        bp += 64
    }
    if rows == 6 && columns == 16 {
        @inline(__always) func store(_ row: Int, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>) {
            let p = UnsafeMutableRawPointer(c + row * ldc)
            mergeVector8(p, v0, alpha: alpha, merge: merge, beta: beta)
            mergeVector8(p + 32, v1, alpha: alpha, merge: merge, beta: beta)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
        store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
    } else {
        // An edge tile: spill the registers, merge the valid corner element by element with
        // the same arithmetic as the vector path.
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 12) { tile in
            tile[0] = c00; tile[1] = c01; tile[2] = c10; tile[3] = c11
            tile[4] = c20; tile[5] = c21; tile[6] = c30; tile[7] = c31
            tile[8] = c40; tile[9] = c41; tile[10] = c50; tile[11] = c51
            let values = UnsafeRawPointer(tile.baseAddress!).assumingMemoryBound(to: Float.self)
            for r in 0..<rows {
                for j in 0..<columns {
                    let out = c + r * ldc + j
                    out.pointee = mergeScalar(out.pointee, values[r * 16 + j], alpha: alpha, merge: merge, beta: beta)
                }
            }
        }
    }
}

@inline(__always)
func mergeVector8(_ p: UnsafeMutableRawPointer, _ v: SIMD8<Float>, alpha: Float, merge: TileMerge, beta: Float) {
    let scaled = alpha == 1 ? v : v * alpha
    switch merge {
    case 0:
        p.storeBytes(of: scaled, as: SIMD8<Float>.self)
    case 1:
        let old = p.loadUnaligned(as: SIMD8<Float>.self)
        p.storeBytes(of: scaled + old * beta, as: SIMD8<Float>.self)
    default:
        let old = p.loadUnaligned(as: SIMD8<Float>.self)
        p.storeBytes(of: scaled + old, as: SIMD8<Float>.self)
    }
}

@inline(__always)
func mergeScalar(_ old: Float, _ v: Float, alpha: Float, merge: TileMerge, beta: Float) -> Float {
    let scaled = alpha == 1 ? v : v * alpha
    switch merge {
    case 0: return scaled
    case 1: return scaled + old * beta
    default: return scaled + old
    }
}
#endif
