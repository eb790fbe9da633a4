#if arch(x86_64)
import _Builtin_intrinsics.intel

/// The AVX-512 VNNI int8 micro-kernel: a 12×32 tile of raw `u8 × s8` dot products.
///
/// `a` holds 12 rows of unsigned activations packed as `[groups][12][4]` bytes, `b` 32
/// output channels of signed weights packed as `[groups][32][4]` bytes. Each step broadcasts
/// one row's 4 bytes and `vpdpbusd` multiplies them with the 4 bytes of 16 channels at once,
/// adding the four products into each channel's int32 lane (wrapping, never saturating).
/// The tile is stored to `c` (rows `ldc` apart) as raw sums; the caller applies the
/// zero-point corrections.
///
/// Only call where the CPU has AVX-512 VNNI (see `KernelPaths` in SlimKernels).
@inline(never)
public func vnniTile12x32(
    groups: Int, a: UnsafeRawPointer, b: UnsafeRawPointer,
    c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let zero = _mm512_setzero_si512()
    var c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero
    var c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero
    var c60 = zero, c61 = zero, c70 = zero, c71 = zero, c80 = zero, c81 = zero
    var c90 = zero, c91 = zero, ca0 = zero, ca1 = zero, cb0 = zero, cb1 = zero
    var ap = a, bp = b
    for _ in 0..<groups {
        let b0 = _mm512_loadu_si512(bp), b1 = _mm512_loadu_si512(bp + 64)
        @inline(__always) func row(_ r: Int) -> __m512i {
            _mm512_set1_epi32(Int32(bitPattern: ap.loadUnaligned(fromByteOffset: 4 * r, as: UInt32.self)))
        }
        var x = row(0)
        c00 = _mm512_dpbusd_epi32(c00, x, b0); c01 = _mm512_dpbusd_epi32(c01, x, b1)
        x = row(1)
        c10 = _mm512_dpbusd_epi32(c10, x, b0); c11 = _mm512_dpbusd_epi32(c11, x, b1)
        x = row(2)
        c20 = _mm512_dpbusd_epi32(c20, x, b0); c21 = _mm512_dpbusd_epi32(c21, x, b1)
        x = row(3)
        c30 = _mm512_dpbusd_epi32(c30, x, b0); c31 = _mm512_dpbusd_epi32(c31, x, b1)
        x = row(4)
        c40 = _mm512_dpbusd_epi32(c40, x, b0); c41 = _mm512_dpbusd_epi32(c41, x, b1)
        x = row(5)
        c50 = _mm512_dpbusd_epi32(c50, x, b0); c51 = _mm512_dpbusd_epi32(c51, x, b1)
        x = row(6)
        c60 = _mm512_dpbusd_epi32(c60, x, b0); c61 = _mm512_dpbusd_epi32(c61, x, b1)
        x = row(7)
        c70 = _mm512_dpbusd_epi32(c70, x, b0); c71 = _mm512_dpbusd_epi32(c71, x, b1)
        x = row(8)
        c80 = _mm512_dpbusd_epi32(c80, x, b0); c81 = _mm512_dpbusd_epi32(c81, x, b1)
        x = row(9)
        c90 = _mm512_dpbusd_epi32(c90, x, b0); c91 = _mm512_dpbusd_epi32(c91, x, b1)
        x = row(10)
        ca0 = _mm512_dpbusd_epi32(ca0, x, b0); ca1 = _mm512_dpbusd_epi32(ca1, x, b1)
        x = row(11)
        cb0 = _mm512_dpbusd_epi32(cb0, x, b0); cb1 = _mm512_dpbusd_epi32(cb1, x, b1)
        ap += 4 * 12
        bp += 128
    }
    @inline(__always) func store(_ r: Int, _ v0: __m512i, _ v1: __m512i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        _mm512_storeu_si512(p, v0)
        _mm512_storeu_si512(p + 64, v1)
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
    store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    store(8, c80, c81); store(9, c90, c91); store(10, ca0, ca1); store(11, cb0, cb1)
}

/// The 12×16 variant of `vnniTile12x32` for a last panel with at most 16 valid channels: the
/// same packed layout (groups still 128 bytes apart), half the work.
@inline(never)
public func vnniTile12x16(
    groups: Int, a: UnsafeRawPointer, b: UnsafeRawPointer,
    c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let zero = _mm512_setzero_si512()
    var c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero
    var c6 = zero, c7 = zero, c8 = zero, c9 = zero, ca = zero, cb = zero
    var ap = a, bp = b
    for _ in 0..<groups {
        let b0 = _mm512_loadu_si512(bp)
        @inline(__always) func row(_ r: Int) -> __m512i {
            _mm512_set1_epi32(Int32(bitPattern: ap.loadUnaligned(fromByteOffset: 4 * r, as: UInt32.self)))
        }
        c0 = _mm512_dpbusd_epi32(c0, row(0), b0); c1 = _mm512_dpbusd_epi32(c1, row(1), b0)
        c2 = _mm512_dpbusd_epi32(c2, row(2), b0); c3 = _mm512_dpbusd_epi32(c3, row(3), b0)
        c4 = _mm512_dpbusd_epi32(c4, row(4), b0); c5 = _mm512_dpbusd_epi32(c5, row(5), b0)
        c6 = _mm512_dpbusd_epi32(c6, row(6), b0); c7 = _mm512_dpbusd_epi32(c7, row(7), b0)
        c8 = _mm512_dpbusd_epi32(c8, row(8), b0); c9 = _mm512_dpbusd_epi32(c9, row(9), b0)
        ca = _mm512_dpbusd_epi32(ca, row(10), b0); cb = _mm512_dpbusd_epi32(cb, row(11), b0)
        ap += 4 * 12
        bp += 128
    }
    @inline(__always) func store(_ r: Int, _ v: __m512i) { _mm512_storeu_si512(UnsafeMutableRawPointer(c + r * ldc), v) }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
    store(6, c6); store(7, c7); store(8, c8); store(9, c9); store(10, ca); store(11, cb)
}
#endif
