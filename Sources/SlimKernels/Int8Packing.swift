/// Activation packing and the generic micro-kernel of the int8 GEMM. Every path multiplies the
/// unsigned codes `a + 128` (`a ^ 0x80`) by the signed weights; `runInt8GEMM` undoes the shift.

/// Packs `rows` activation rows into 12-row micro-tiles of unsigned bytes for the VNNI kernel,
/// `[tiles][groups][12][4]`: each value `a + 128`, padding (past `k` or `rows`) the code of 0,
/// 128. Writes each row's sum of signed activations when `rowSums` is given (asymmetric
/// weights need it).
func packActivationGroups(
    _ a: UnsafePointer<Int8>, lda: Int, rows: Int, k: Int, groups: Int,
    into out: UnsafeMutableRawPointer, rowSums: UnsafeMutablePointer<Int32>?
) {
    let mr = 12
    let tiles = (rows + mr - 1) / mr
    let fullGroups = k / 4
    for i in 0..<rows {
        let tile = i / mr, r = i % mr
        let base = out + tile * mr * groups * 4 + r * 4
        let src = a + i * lda
        for g in 0..<fullGroups {
            let word = UnsafeRawPointer(src + 4 * g).loadUnaligned(as: UInt32.self)
            (base + g * mr * 4).storeBytes(of: word ^ 0x8080_8080, as: UInt32.self)
        }
        if fullGroups < groups {
            var word: UInt32 = 0x8080_8080
            for t in 0..<(k - 4 * fullGroups) {
                word ^= UInt32(UInt8(bitPattern: src[4 * fullGroups + t])) << (8 * t)
            }
            (base + fullGroups * mr * 4).storeBytes(of: word, as: UInt32.self)
        }
        if let rowSums { rowSums[i] = rowSum(src, k) }
    }
    // Rows past the end of A: the code of 0 (their results are discarded).
    for i in rows..<(tiles * mr) {
        let base = out + (i / mr) * mr * groups * 4 + (i % mr) * 4
        for g in 0..<groups { (base + g * mr * 4).storeBytes(of: UInt32(0x8080_8080), as: UInt32.self) }
    }
}

/// Packs `rows` activation rows into 6-row micro-tiles of int16 pairs for the AVX2 and generic
/// kernels, `[tiles][pairs][6][2]`: each value `a + 128` (0…255) widened to int16, padding the
/// code of 0, 128. Row sums as in `packActivationGroups`.
func packActivationPairs(
    _ a: UnsafePointer<Int8>, lda: Int, rows: Int, k: Int, pairs: Int,
    into out: UnsafeMutableRawPointer, rowSums: UnsafeMutablePointer<Int32>?
) {
    let mr = 6
    let tiles = (rows + mr - 1) / mr
    let bytes = out.bindMemory(to: Int16.self, capacity: tiles * mr * pairs * 2)
    for i in 0..<(tiles * mr) {
        let base = bytes + (i / mr) * mr * pairs * 2 + (i % mr) * 2
        if i >= rows {
            // Rows past the end of A: the code of 0 (their results are discarded).
            for q in 0..<pairs { base[q * mr * 2] = 128; base[q * mr * 2 + 1] = 128 }
            continue
        }
        let src = UnsafeRawPointer(a + i * lda).assumingMemoryBound(to: UInt8.self)
        var p = 0
        // 16 codes at a time: flip the sign bit, widen, and scatter as pairs 12 values apart.
        while p + 16 <= k {
            let codes = SIMD16<Int16>(truncatingIfNeeded: UnsafeRawPointer(src + p).loadUnaligned(as: SIMD16<UInt8>.self)
                                          ^ SIMD16<UInt8>(repeating: 0x80))
            let words = unsafeBitCast(codes, to: SIMD8<UInt32>.self)
            let dst = UnsafeMutableRawPointer(base + (p / 2) * mr * 2)
            for t in 0..<8 { dst.storeBytes(of: words[t], toByteOffset: t * mr * 4, as: UInt32.self) }
            p += 16
        }
        while p < 2 * pairs {
            base[(p / 2) * mr * 2 + p % 2] = p < k ? Int16(src[p] ^ 0x80) : 128
            p += 1
        }
        if let rowSums { rowSums[i] = rowSum(a + i * lda, k) }
    }
}

@inline(__always)
func rowSum(_ src: UnsafePointer<Int8>, _ k: Int) -> Int32 {
    var sum: Int32 = 0
    for p in 0..<k { sum &+= Int32(src[p]) }
    return sum
}

/// The generic int8 micro-kernel: the same 6×16 tile of raw `u8 × s8` sums as the AVX2 one,
/// from the same int16 pairs, in Swift SIMD integer arithmetic: per pair of inputs, each
/// channel's two products widened to int32 and added (LLVM turns this into `pmaddwd` on any
/// x86-64 and into widening multiply-adds on arm64). Exact: no intermediate saturates.
@inline(never)
func portableInt8Tile6x16(
    pairs: Int, a: UnsafeRawPointer, b: UnsafeRawPointer,
    c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    var c0 = SIMD16<Int32>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
    var ap = a, bp = b
    for _ in 0..<pairs {
        let w = bp.loadUnaligned(as: SIMD32<Int16>.self)
        let even = SIMD16<Int32>(truncatingIfNeeded: w.evenHalf), odd = SIMD16<Int32>(truncatingIfNeeded: w.oddHalf)
        @inline(__always) func add(_ acc: inout SIMD16<Int32>, _ r: Int) {
            let x0 = Int32(ap.load(fromByteOffset: 4 * r, as: Int16.self))
            let x1 = Int32(ap.load(fromByteOffset: 4 * r + 2, as: Int16.self))
            acc &+= even &* x0 &+ odd &* x1
        }
        add(&c0, 0); add(&c1, 1); add(&c2, 2); add(&c3, 3); add(&c4, 4); add(&c5, 5)
        ap += 24
        bp += 64
    }
    @inline(__always) func store(_ r: Int, _ v: SIMD16<Int32>) {
        UnsafeMutableRawPointer(c + r * ldc).storeBytes(of: v, as: SIMD16<Int32>.self)
    }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
}
