/// Packing for the fp32 GEMM: copies blocks of op(A) and op(B) into the contiguous,
/// zero-padded panel layouts the micro-kernel streams through, so it reads memory strictly
/// sequentially whatever the transposes and leading dimensions were.

/// Rows of C per micro-tile (broadcast from packed A).
let gemmMR = 8
/// Columns of C per micro-tile (two 16-lane vectors from packed B).
let gemmNR = 32

/// Packs rows `i0 ..< i0+rows` and reduction indices `p0 ..< p0+depth` of op(A) into panels of
/// `gemmMR` rows: panel `r` holds, for each `p`, the `gemmMR` values `op(A)[i0 + 8r + t, p0 + p]`
/// (zero past `rows`). Layout `[⌈rows/8⌉][depth][8]`.
@inline(__always)
func packA(
    _ trans: Transpose, _ a: UnsafePointer<Float>, lda: Int,
    i0: Int, rows: Int, p0: Int, depth: Int, into out: UnsafeMutablePointer<Float>
) {
    let mr = gemmMR
    var panel = 0
    while panel * mr < rows {
        let base = out + panel * depth * mr
        let r0 = i0 + panel * mr
        let valid = min(mr, rows - panel * mr)
        if trans == .transposed {
            // op(A)[i, p] = a[p·lda + i]: each p gives `valid` contiguous values.
            for p in 0..<depth {
                let src = a + (p0 + p) * lda + r0
                let dst = base + p * mr
                if valid == mr {
                    UnsafeMutableRawPointer(dst).storeBytes(
                        of: UnsafeRawPointer(src).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                } else {
                    for t in 0..<valid { dst[t] = src[t] }
                    for t in valid..<mr { dst[t] = 0 }
                }
            }
        } else {
            // op(A)[i, p] = a[i·lda + p]: interleave `valid` rows.
            if valid == mr {
                for t in 0..<mr {
                    let src = a + (r0 + t) * lda + p0
                    var dst = base + t
                    for p in 0..<depth { dst.pointee = src[p]; dst += mr }
                }
            } else {
                for p in 0..<depth {
                    let dst = base + p * mr
                    for t in 0..<valid { dst[t] = a[(r0 + t) * lda + p0 + p] }
                    for t in valid..<mr { dst[t] = 0 }
                }
            }
        }
        panel += 1
    }
}

/// Packs reduction indices `p0 ..< p0+depth` and columns `j0 ..< j0+columns` of op(B) into
/// panels of `gemmNR` columns: panel `c` holds, for each `p`, the 32 values
/// `op(B)[p0 + p, j0 + 32c + t]` (zero past `columns`). Layout `[⌈columns/32⌉][depth][32]`.
@inline(__always)
func packB(
    _ trans: Transpose, _ b: UnsafePointer<Float>, ldb: Int,
    p0: Int, depth: Int, j0: Int, columns: Int, panel: Int, into out: UnsafeMutablePointer<Float>
) {
    let nr = gemmNR
    let base = out + panel * depth * nr
    let c0 = j0 + panel * nr
    let valid = min(nr, columns - panel * nr)
    if trans == .none {
        // op(B)[p, j] = b[p·ldb + j]: copy row segments.
        for p in 0..<depth {
            let src = b + (p0 + p) * ldb + c0
            let dst = base + p * nr
            if valid == nr {
                let raw = UnsafeRawPointer(src)
                UnsafeMutableRawPointer(dst).storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(dst + 16).storeBytes(
                    of: raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
            } else {
                for t in 0..<valid { dst[t] = src[t] }
                for t in valid..<nr { dst[t] = 0 }
            }
        }
    } else {
        // op(B)[p, j] = b[j·ldb + p]: each column j is a contiguous run over p.
        for t in 0..<valid {
            let src = b + (c0 + t) * ldb + p0
            var dst = base + t
            for p in 0..<depth { dst.pointee = src[p]; dst += nr }
        }
        if valid < nr {
            for p in 0..<depth {
                let dst = base + p * nr
                for t in valid..<nr { dst[t] = 0 }
            }
        }
    }
}
