#if arch(x86_64)
import _Builtin_intrinsics.intel

/// Floats to int8 codes on AVX2, 8 at a time: `clamp(round(x / s) + z, low, high)` with round
/// half to even and NaN to `low` — SlimKernels' `quantize`, bit for bit. x / s is first
/// limited to ±2²² (`vmaxps` puts NaN there as −2²², which clamps to `low`), so `vcvtps2dq`
/// (half to even under the default MXCSR) cannot overflow; `+ z` and the clamp are then
/// exact integer steps. `low…high` must lie within −128…127. The last values go through a
/// small buffer.
///
/// Only call where the CPU has AVX2 (see `KernelPath` in SlimKernels).
@inline(never)
public func avx2QuantizeInt8(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
                             low: Int32, high: Int32, into q: UnsafeMutablePointer<Int8>) {
    let s = _mm256_set1_ps(scale), limit = _mm256_set1_ps(4_194_304), negativeLimit = _mm256_set1_ps(-4_194_304)
    let z = _mm256_set1_epi32(zeroPoint), lo = _mm256_set1_epi32(low), hi = _mm256_set1_epi32(high)
    let lowBytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                    0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
    let halves = _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1)
    @inline(__always) func codes(_ values: __m256) -> __m256i {
        let limited = _mm256_min_ps(_mm256_max_ps(_mm256_div_ps(values, s), negativeLimit), limit)
        let c = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(limited), z), lo), hi)
        return _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(c, lowBytes), halves)
    }
    var i = 0
    while i + 8 <= count {
        let packed = codes(UnsafeRawPointer(x + i).loadUnaligned(as: __m256.self))
        UnsafeMutableRawPointer(q + i).storeBytes(of: _mm_cvtsi128_si64(_mm256_castsi256_si128(packed)), as: Int64.self)
        i += 8
    }
    if i < count {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8) { buffer in
            let rest = count - i
            buffer.baseAddress!.initialize(repeating: 0, count: 8)
            buffer.baseAddress!.update(from: x + i, count: rest)
            let packed = codes(UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(as: __m256.self))
            withUnsafeBytes(of: packed) { bytes in
                for t in 0..<rest { q[i + t] = Int8(bitPattern: bytes[t]) }
            }
        }
    }
}
#endif
