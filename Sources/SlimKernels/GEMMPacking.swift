/// Packing for the fp32 GEMM: copies blocks of op(B) into the contiguous, zero-padded panel
/// layout the micro-kernel streams through, so it reads B strictly sequentially whatever the
/// transpose and leading dimension were. (op(A) is read in place, one broadcast per row.)

/// Packs reduction indices `p0 ..< p0+depth` and columns `j0 ..< j0+columns` of op(B) into
/// panels of `width` (16 or 32) columns: panel `c` holds, for each `p`, the `width` values
/// `op(B)[p0 + p, j0 + width·c + t]` (zero past `columns`). Layout
/// `[⌈columns/width⌉][depth][width]`.
@inline(__always)
func packB(
    _ trans: Transpose, _ b: UnsafePointer<Float>, ldb: Int,
    p0: Int, depth: Int, j0: Int, columns: Int, panel: Int, width nr: Int, into out: UnsafeMutablePointer<Float>
) {
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
                for v in stride(from: 0, to: nr, by: 16) {
                    UnsafeMutableRawPointer(dst + v).storeBytes(
                        of: raw.loadUnaligned(fromByteOffset: 4 * v, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                }
            } else {
                for t in 0..<valid { dst[t] = src[t] }
                for t in valid..<nr { dst[t] = 0 }
            }
        }
    } else {
        // op(B)[p, j] = b[j·ldb + p]: each column is a contiguous run over p, so the panel is
        // a transpose, done in 8×8 blocks through registers.
        var t = 0
        while t + 8 <= valid {
            var p = 0
            while p + 8 <= depth {
                transpose8x8(b + (c0 + t) * ldb + p0 + p, ld: ldb, into: base + p * nr + t, ldOut: nr)
                p += 8
            }
            while p < depth {
                for u in 0..<8 { base[p * nr + t + u] = b[(c0 + t + u) * ldb + p0 + p] }
                p += 1
            }
            t += 8
        }
        for p in 0..<depth {
            let dst = base + p * nr
            for u in t..<valid { dst[u] = b[(c0 + u) * ldb + p0 + p] }
            for u in valid..<nr { dst[u] = 0 }
        }
    }
}

/// Eight SIMD8 rows.
typealias Rows8 = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                   SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

/// One perfect-shuffle round: the 64 elements, read as one sequence, split into even and odd
/// positions. Three rounds rotate the 6 index bits by 3, which transposes an 8×8 block.
@inline(__always)
func unzip(_ v: Rows8) -> Rows8 {
    let p0 = SIMD16(lowHalf: v.0, highHalf: v.1), p1 = SIMD16(lowHalf: v.2, highHalf: v.3)
    let p2 = SIMD16(lowHalf: v.4, highHalf: v.5), p3 = SIMD16(lowHalf: v.6, highHalf: v.7)
    return (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
}

/// `out[j·ldOut + i] = x[i·ld + j]` for an 8×8 block.
///
/// Kept out of line on purpose: inlined into the large GEMM driver, the SIMD shuffles it is
/// made of were left as calls (the inliner's budget was spent), five times slower.
@inline(never)
func transpose8x8(_ x: UnsafePointer<Float>, ld: Int, into out: UnsafeMutablePointer<Float>, ldOut: Int) {
    @inline(__always) func row(_ i: Int) -> SIMD8<Float> { UnsafeRawPointer(x + i * ld).loadUnaligned(as: SIMD8<Float>.self) }
    let v = unzip(unzip(unzip((row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7)))))
    @inline(__always) func put(_ j: Int, _ r: SIMD8<Float>) {
        UnsafeMutableRawPointer(out + j * ldOut).storeBytes(of: r, as: SIMD8<Float>.self)
    }
    put(0, v.0); put(1, v.1); put(2, v.2); put(3, v.3); put(4, v.4); put(5, v.5); put(6, v.6); put(7, v.7)
}
