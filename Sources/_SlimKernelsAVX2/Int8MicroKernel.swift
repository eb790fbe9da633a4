#if arch(x86_64)
import _Builtin_intrinsics.intel

/// The AVX2 int8 micro-kernel: a 6×16 tile of exact `u8 × s8` dot products in twelve int32
/// registers, through `vpmaddwd` on operands widened to int16.
///
/// Why not `vpmaddubsw`: it multiplies unsigned by signed bytes but adds each pair of products
/// into an int16 *with saturation*; with activations up to 255 and weights down to −128 a pair
/// reaches 2·255·128 = 65 280, far past 32 767, and the sum is silently clamped. MLAS and
/// oneDNN accept that or ask for 7-bit weights ("reduce range"), which changes the model;
/// splitting the activations into two 4-bit halves stays exact but needs two `vpmaddubsw` per
/// product pair and then loses to fp32. This kernel instead takes both operands pre-widened to
/// int16 (the weights once, when they are packed; the activations per call, which is cheap):
/// `vpmaddwd` multiplies 16 int16 pairs and adds each pair into an int32 exactly
/// (|2·255·128| < 2³¹), 16 multiply-adds per instruction — as many per multiply instruction as
/// the `vpmaddubsw` + `vpmaddwd` pair gets, without the clamp. (XNNPACK's AVX2 int8 kernels
/// take the same route.) With AVX-VNNI (`vpdpbusd` on ymm, Alder Lake+), the AVX-512 VNNI
/// layout would be the faster one; this build does not carry that variant yet.
///
/// `a` holds 6 rows of activation codes `a + 128` as int16 pairs, `[pairs][6][2]`; `b` 16
/// output channels of signed weights as int16 pairs, `[pairs][16][2]`. Each step broadcasts
/// one row's pair and multiplies it with 8 channels' pairs per register. The tile is stored
/// to `c` (rows `ldc` apart) as raw sums; the caller applies the zero-point corrections.
@inline(never)
public func avx2Int8Tile6x16(
    pairs: Int, a: UnsafeRawPointer, b: UnsafeRawPointer,
    c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let zero = _mm256_setzero_si256()
    var c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero
    var c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero
    var ap = a, bp = b
    for _ in 0..<pairs {
        let b0 = bp.loadUnaligned(as: __m256i.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: __m256i.self)
        @inline(__always) func row(_ r: Int) -> __m256i {
            _mm256_set1_epi32(Int32(bitPattern: ap.loadUnaligned(fromByteOffset: 4 * r, as: UInt32.self)))
        }
        var x = row(0)
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, b0)); c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, b1))
        x = row(1)
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, b0)); c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, b1))
        x = row(2)
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, b0)); c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, b1))
        x = row(3)
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, b0)); c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, b1))
        x = row(4)
        c40 = _mm256_add_epi32(c40, _mm256_madd_epi16(x, b0)); c41 = _mm256_add_epi32(c41, _mm256_madd_epi16(x, b1))
        x = row(5)
        c50 = _mm256_add_epi32(c50, _mm256_madd_epi16(x, b0)); c51 = _mm256_add_epi32(c51, _mm256_madd_epi16(x, b1))
        ap += 24
        bp += 64
    }
    @inline(__always) func store(_ r: Int, _ v0: __m256i, _ v1: __m256i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        p.storeBytes(of: v0, as: __m256i.self)
        p.storeBytes(of: v1, toByteOffset: 32, as: __m256i.self)
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
    store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
}
#endif
