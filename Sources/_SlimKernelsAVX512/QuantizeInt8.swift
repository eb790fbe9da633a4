#if arch(x86_64)
import _Builtin_intrinsics.intel

/// Floats to int8 codes on AVX-512, 16 at a time: `clamp(round(x / s) + z, low, high)` with
/// round half to even and NaN to `low` — SlimKernels' `quantize`, bit for bit. x / s is first
/// limited to ±2²² (`vmaxps` puts NaN there as −2²², which clamps to `low`), so `vcvtps2dq`
/// (half to even under the default MXCSR) cannot overflow; `+ z` and the clamp are then
/// exact integer steps. `low…high` must lie within −128…127.
///
/// Only call where the CPU has AVX-512 F/BW/VL (see `KernelPath` in SlimKernels).
@inline(never)
public func avx512QuantizeInt8(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
                               low: Int32, high: Int32, into q: UnsafeMutablePointer<Int8>) {
    let s = _mm512_set1_ps(scale), limit = _mm512_set1_ps(4_194_304), negativeLimit = _mm512_set1_ps(-4_194_304)
    let z = _mm512_set1_epi32(zeroPoint), lo = _mm512_set1_epi32(low), hi = _mm512_set1_epi32(high)
    var i = 0
    while i < count {
        let mask = __mmask16(truncatingIfNeeded: (1 << min(16, count - i)) &- 1)
        let ratio = _mm512_div_ps(_mm512_maskz_loadu_ps(mask, x + i), s)
        let limited = _mm512_min_ps(_mm512_max_ps(ratio, negativeLimit), limit)
        let codes = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(limited), z), lo), hi)
        _mm512_mask_cvtepi32_storeu_epi8(q + i, mask, codes)
        i += 16
    }
}
#endif
