/// The generic fp32 GEMM micro-kernel, for CPUs without a kernel target of their own (arm64,
/// x86-64 without AVX2): an 8×32 tile of C in sixteen 16-lane Swift SIMD vectors (four NEON
/// registers each on arm64), one fused multiply-add per vector per step of the reduction —
/// the same chains, in the same order, as the AVX2 and AVX-512 kernels, so the same bits.
/// On x86-64, whose baseline has no FMA (`addingProduct` would be a libm `fmaf` call per
/// lane), the fused steps are emulated exactly in SSE2 (see `sse2GEMMTile8x32`).

@inline(__always)
func fusedMultiplyAdd(_ c: inout SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) {
    c = c.addingProduct(a, b)
}

/// One micro-tile of the generic path: the 8×16 kernel when at most 16 columns are valid.
@inline(never)
func genericGEMMTile8x32(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    alpha: Float, update: TileUpdate
) {
    #if arch(x86_64)
    sse2GEMMTile8x32(depth: depth, a: a, rowStride: rowStride, depthStride: depthStride, b: b,
                     c: c, ldc: ldc, rows: rows, columns: columns, alpha: alpha, update: update)
    #else
    if columns <= 16 {
        microKernel8x16(depth: depth, a: a, rowStride: rowStride, depthStride: depthStride, b: b,
                        c: c, ldc: ldc, rows: rows, columns: columns, alpha: alpha, update: update)
    } else {
        microKernel8x32(depth: depth, a: a, rowStride: rowStride, depthStride: depthStride, b: b,
                        c: c, ldc: ldc, rows: rows, columns: columns, alpha: alpha, update: update)
    }
    #endif
}

/// How the micro-kernel combines its tile with C.
enum TileUpdate {
    /// C = α·tile (β = 0: C is not read).
    case overwrite
    /// C = α·tile + β·C.
    case scaleAndAdd(Float)
    /// C += α·tile (later blocks of the reduction).
    case accumulate
}

/// Computes the 8×32 tile `Σₚ op(A)[i, p] ⊗ B[p, :]` over `depth` steps and merges its
/// top-left `rows × columns` corner into C.
///
/// op(A) is read in place, element `(r, p)` at `a + r·rowStride + p·depthStride`: a row-major
/// A has strides (lda, 1), a transposed one (1, lda). Each step broadcasts one element per row
/// from its own sequential stream, so A needs no packing. Rows past `rows` re-read row 0 (their
/// results are discarded). `b` is a packed panel of 32 columns (`[depth][32]`).
@inline(__always)
func microKernel8x32(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    alpha: Float, update: TileUpdate
) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
    var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
    var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
    var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>()
    var c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    @inline(__always) func rowStart(_ r: Int) -> UnsafePointer<Float> { a + (r < rows ? r : 0) * rowStride }
    let a0 = rowStart(0), a1 = rowStart(1), a2 = rowStart(2), a3 = rowStart(3)
    let a4 = rowStart(4), a5 = rowStart(5), a6 = rowStart(6), a7 = rowStart(7)
    var offset = 0
    var bp = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let b0 = bp.load(as: SIMD16<Float>.self)
        let b1 = bp.load(fromByteOffset: 64, as: SIMD16<Float>.self)
        var x = SIMD16<Float>(repeating: a0[offset])
        fusedMultiplyAdd(&c00, x, b0); fusedMultiplyAdd(&c01, x, b1)
        x = SIMD16<Float>(repeating: a1[offset])
        fusedMultiplyAdd(&c10, x, b0); fusedMultiplyAdd(&c11, x, b1)
        x = SIMD16<Float>(repeating: a2[offset])
        fusedMultiplyAdd(&c20, x, b0); fusedMultiplyAdd(&c21, x, b1)
        x = SIMD16<Float>(repeating: a3[offset])
        fusedMultiplyAdd(&c30, x, b0); fusedMultiplyAdd(&c31, x, b1)
        x = SIMD16<Float>(repeating: a4[offset])
        fusedMultiplyAdd(&c40, x, b0); fusedMultiplyAdd(&c41, x, b1)
        x = SIMD16<Float>(repeating: a5[offset])
        fusedMultiplyAdd(&c50, x, b0); fusedMultiplyAdd(&c51, x, b1)
        x = SIMD16<Float>(repeating: a6[offset])
        fusedMultiplyAdd(&c60, x, b0); fusedMultiplyAdd(&c61, x, b1)
        x = SIMD16<Float>(repeating: a7[offset])
        fusedMultiplyAdd(&c70, x, b0); fusedMultiplyAdd(&c71, x, b1)
        offset += depthStride
        bp += 128
    }
    if rows == 8 && columns == 32 {
        @inline(__always) func store(_ row: Int, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>) {
            let p = UnsafeMutableRawPointer(c + row * ldc)
            mergeVector(p, v0, alpha: alpha, update: update)
            mergeVector(p + 64, v1, alpha: alpha, update: update)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
        store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    } else {
        // An edge tile: spill the registers and merge the valid corner element by element,
        // with the same arithmetic as the vector path.
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 16) { tile in
            tile[0] = c00; tile[1] = c01; tile[2] = c10; tile[3] = c11
            tile[4] = c20; tile[5] = c21; tile[6] = c30; tile[7] = c31
            tile[8] = c40; tile[9] = c41; tile[10] = c50; tile[11] = c51
            tile[12] = c60; tile[13] = c61; tile[14] = c70; tile[15] = c71
            let values = UnsafeRawPointer(tile.baseAddress!).assumingMemoryBound(to: Float.self)
            for r in 0..<rows {
                for j in 0..<columns {
                    let out = c + r * ldc + j
                    out.pointee = mergeScalar(out.pointee, values[r * 32 + j], alpha: alpha, update: update)
                }
            }
        }
    }
}

/// The 8×16 variant of `microKernel8x32` for a last panel with at most 16 valid columns: it
/// reads only the first 16 columns of the packed panel, half the work.
@inline(__always)
func microKernel8x16(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    alpha: Float, update: TileUpdate
) {
    var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
    var c4 = SIMD16<Float>(), c5 = SIMD16<Float>(), c6 = SIMD16<Float>(), c7 = SIMD16<Float>()
    @inline(__always) func rowStart(_ r: Int) -> UnsafePointer<Float> { a + (r < rows ? r : 0) * rowStride }
    let a0 = rowStart(0), a1 = rowStart(1), a2 = rowStart(2), a3 = rowStart(3)
    let a4 = rowStart(4), a5 = rowStart(5), a6 = rowStart(6), a7 = rowStart(7)
    var offset = 0
    var bp = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let b0 = bp.load(as: SIMD16<Float>.self)
        fusedMultiplyAdd(&c0, SIMD16<Float>(repeating: a0[offset]), b0)
        fusedMultiplyAdd(&c1, SIMD16<Float>(repeating: a1[offset]), b0)
        fusedMultiplyAdd(&c2, SIMD16<Float>(repeating: a2[offset]), b0)
        fusedMultiplyAdd(&c3, SIMD16<Float>(repeating: a3[offset]), b0)
        fusedMultiplyAdd(&c4, SIMD16<Float>(repeating: a4[offset]), b0)
        fusedMultiplyAdd(&c5, SIMD16<Float>(repeating: a5[offset]), b0)
        fusedMultiplyAdd(&c6, SIMD16<Float>(repeating: a6[offset]), b0)
        fusedMultiplyAdd(&c7, SIMD16<Float>(repeating: a7[offset]), b0)
        offset += depthStride
        bp += 128
    }
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 8) { tile in
        tile[0] = c0; tile[1] = c1; tile[2] = c2; tile[3] = c3
        tile[4] = c4; tile[5] = c5; tile[6] = c6; tile[7] = c7
        let values = UnsafeRawPointer(tile.baseAddress!).assumingMemoryBound(to: Float.self)
        for r in 0..<rows {
            for j in 0..<columns {
                let out = c + r * ldc + j
                out.pointee = mergeScalar(out.pointee, values[r * 16 + j], alpha: alpha, update: update)
            }
        }
    }
}

@inline(__always)
func mergeVector(_ p: UnsafeMutableRawPointer, _ v: SIMD16<Float>, alpha: Float, update: TileUpdate) {
    let scaled = alpha == 1 ? v : v * alpha
    switch update {
    case .overwrite:
        p.storeBytes(of: scaled, as: SIMD16<Float>.self)
    case .scaleAndAdd(let beta):
        let old = p.loadUnaligned(as: SIMD16<Float>.self)
        p.storeBytes(of: scaled + old * beta, as: SIMD16<Float>.self)
    case .accumulate:
        let old = p.loadUnaligned(as: SIMD16<Float>.self)
        p.storeBytes(of: scaled + old, as: SIMD16<Float>.self)
    }
}

@inline(__always)
func mergeScalar(_ old: Float, _ v: Float, alpha: Float, update: TileUpdate) -> Float {
    let scaled = alpha == 1 ? v : v * alpha
    switch update {
    case .overwrite: return scaled
    case .scaleAndAdd(let beta): return scaled + old * beta
    case .accumulate: return scaled + old
    }
}
