#if arch(x86_64)
/// The AVX-512 fp32 GEMM micro-kernel: an 8×32 tile of C held in sixteen 16-lane registers
/// (16 of the 32 zmm registers, no spills), one fused multiply-add per register per step of
/// the reduction.
///
/// Each element is one chain of fused multiply-adds over `p = 0 ..< depth`, in that order,
/// from 0 — the same chain the AVX2 (6×16) and generic kernels compute, so the vector width
/// never shows in the bits. op(A) is read in place, element `(r, p)` at
/// `a + r·rowStride + p·depthStride`; rows past `rows` re-read row 0 (discarded). `b` is a
/// packed panel `[depth][32]`, zero past the valid columns. The `rows × columns` corner is
/// merged into C as `merge` says (see `TileMerge512`). With `columns ≤ 16` only the first 16
/// columns of the panel are computed.
@inline(never)
public func avx512GEMMTile8x32(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    alpha: Float, merge: TileMerge512, beta: Float
) {
    @inline(__always) func rowStart(_ r: Int) -> UnsafePointer<Float> { a + (r < rows ? r : 0) * rowStride }
    let a0 = rowStart(0), a1 = rowStart(1), a2 = rowStart(2), a3 = rowStart(3)
    let a4 = rowStart(4), a5 = rowStart(5), a6 = rowStart(6), a7 = rowStart(7)
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 16) { tile in
        var offset = 0
        var bp = UnsafeRawPointer(b)
        if columns <= 16 {
            var c0 = SIMD16<Float>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0
            for _ in 0..<depth {
                let b0 = bp.load(as: SIMD16<Float>.self)
                c0 = c0.addingProduct(SIMD16(repeating: a0[offset]), b0)
                c1 = c1.addingProduct(SIMD16(repeating: a1[offset]), b0)
                c2 = c2.addingProduct(SIMD16(repeating: a2[offset]), b0)
                c3 = c3.addingProduct(SIMD16(repeating: a3[offset]), b0)
                c4 = c4.addingProduct(SIMD16(repeating: a4[offset]), b0)
                c5 = c5.addingProduct(SIMD16(repeating: a5[offset]), b0)
                c6 = c6.addingProduct(SIMD16(repeating: a6[offset]), b0)
                c7 = c7.addingProduct(SIMD16(repeating: a7[offset]), b0)
                offset &+= depthStride
                bp += 128
            }
            tile[0] = c0; tile[2] = c1; tile[4] = c2; tile[6] = c3
            tile[8] = c4; tile[10] = c5; tile[12] = c6; tile[14] = c7
        } else {
            var c00 = SIMD16<Float>(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00
            var c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00
            var c60 = c00, c61 = c00, c70 = c00, c71 = c00
            for _ in 0..<depth {
                let b0 = bp.load(as: SIMD16<Float>.self)
                let b1 = bp.load(fromByteOffset: 64, as: SIMD16<Float>.self)
                var x = SIMD16<Float>(repeating: a0[offset])
                c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a1[offset])
                c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a2[offset])
                c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a3[offset])
                c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a4[offset])
                c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a5[offset])
                c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a6[offset])
                c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
                x = SIMD16<Float>(repeating: a7[offset])
                c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
                offset &+= depthStride
                bp += 128
            }
            if rows == 8 && columns == 32 {
                @inline(__always) func store(_ row: Int, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>) {
                    let p = UnsafeMutableRawPointer(c + row * ldc)
                    mergeVector16(p, v0, alpha: alpha, merge: merge, beta: beta)
                    mergeVector16(p + 64, v1, alpha: alpha, merge: merge, beta: beta)
                }
                store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
                store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
                return
            }
            tile[0] = c00; tile[1] = c01; tile[2] = c10; tile[3] = c11
            tile[4] = c20; tile[5] = c21; tile[6] = c30; tile[7] = c31
            tile[8] = c40; tile[9] = c41; tile[10] = c50; tile[11] = c51
            tile[12] = c60; tile[13] = c61; tile[14] = c70; tile[15] = c71
        }
        // An edge tile: merge the valid corner element by element, same arithmetic.
        let values = UnsafeRawPointer(tile.baseAddress!).assumingMemoryBound(to: Float.self)
        for r in 0..<rows {
            for j in 0..<columns {
                let out = c + r * ldc + j
                out.pointee = mergeScalar(out.pointee, values[r * 32 + j], alpha: alpha, merge: merge, beta: beta)
            }
        }
    }
}

@inline(__always)
func mergeVector16(_ p: UnsafeMutableRawPointer, _ v: SIMD16<Float>, alpha: Float, merge: TileMerge512, beta: Float) {
    let scaled = alpha == 1 ? v : v * alpha
    switch merge {
    case 0:
        p.storeBytes(of: scaled, as: SIMD16<Float>.self)
    case 1:
        let old = p.loadUnaligned(as: SIMD16<Float>.self)
        p.storeBytes(of: scaled + old * beta, as: SIMD16<Float>.self)
    default:
        let old = p.loadUnaligned(as: SIMD16<Float>.self)
        p.storeBytes(of: scaled + old, as: SIMD16<Float>.self)
    }
}

@inline(__always)
func mergeScalar(_ old: Float, _ v: Float, alpha: Float, merge: TileMerge512, beta: Float) -> Float {
    let scaled = alpha == 1 ? v : v * alpha
    switch merge {
    case 0: return scaled
    case 1: return scaled + old * beta
    default: return scaled + old
    }
}
#endif
