import _SlimKernelsShared

/// Vectorized elementary functions for the elementwise kernels, 16 lanes at a time.
///
/// Kernels call them on full vectors only (tails padded), so an element's result does not
/// depend on where it sits in a row.

/// `eˣ` per lane, within about 2 ulp for x in [−87.3, 88]: Cody–Waite range reduction
/// `x = n·ln 2 + r` with |r| ≤ ln 2 / 2, then the polynomial of Cephes' `expf` (Moshier).
/// Below −87.3, where the true value is a denormal or 0, the result is 0; above 88 it is
/// +inf; NaN stays NaN.
@inline(__always)
func exponential(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let high = SIMD16<Float>(repeating: 88), low = SIMD16<Float>(repeating: -87.336_54)
    let overflow = x .> high, underflow = x .< low
    var v = x
    v.replace(with: high, where: overflow)
    v.replace(with: low, where: underflow)
    // n is in −126…127: rounding by adding 1.5·2²³ is exact (and vectorizes on any x86-64).
    let n = roundedHalfEvenForClamping(v * 1.442_695_04)
    // r = v − n·ln 2, with ln 2 split so that n·0.693359375 is exact.
    var r = v - n * 0.693_359_375
    r = r + n * 2.121_944_4e-4
    var p = r * 1.987_569_15e-4 + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let y = p * (r * r) + r + 1
    // 2ⁿ from its exponent bits; n is in −126…127 here.
    let twoToN = unsafeBitCast((smallIntegers(n) &+ 127) &<< 23, to: SIMD16<Float>.self)
    var result = y * twoToN
    result.replace(with: 0, where: underflow)
    result.replace(with: .infinity, where: overflow)
    result.replace(with: x, where: x .!= x)
    return result
}

/// Float lanes holding integers with |v| < 2²² as Int32, exactly: adding 1.5·2²³ puts the
/// integer in the low mantissa bits. (The generic SIMD Float→Int conversion is not vectorized.)
@inline(__always)
func smallIntegers(_ v: SIMD16<Float>) -> SIMD16<Int32> {
    RoundingMath.smallIntegers(v)
}

/// The largest lane, ignoring NaN lanes (−inf if all are NaN).
@inline(__always)
func laneMaximum(_ v: SIMD16<Float>) -> Float {
    var m = v
    m.replace(with: -.infinity, where: m .!= m)
    var h = SIMD8<Float>(m.lowHalf)
    let other = SIMD8<Float>(m.highHalf)
    h.replace(with: other, where: other .> h)
    var q = h.lowHalf
    q.replace(with: h.highHalf, where: h.highHalf .> q)
    var best = q[0]
    for i in 1..<4 where q[i] > best { best = q[i] }
    return best
}

/// The sum of the lanes, added pairwise in a fixed order.
@inline(__always)
func laneSum(_ v: SIMD16<Float>) -> Float {
    let h = v.lowHalf + v.highHalf
    let q = h.lowHalf + h.highHalf
    return (q[0] + q[2]) + (q[1] + q[3])
}

/// Loads `count` (< 16) floats into the low lanes of a vector, `fill` in the others.
@inline(__always)
func partialVector(_ p: UnsafePointer<Float>, _ count: Int, fill: Float) -> SIMD16<Float> {
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 1) { buffer in
        let lanes = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: Float.self)
        buffer[0] = SIMD16(repeating: fill)
        lanes.update(from: p, count: count)
        return buffer[0]
    }
}

/// Stores the low `count` (< 16) lanes.
@inline(__always)
func storePartial(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 1) { buffer in
        buffer[0] = v
        p.update(from: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: Float.self), count: count)
    }
}

/// The 16 floats at `p` (any alignment).
@inlinable @inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}
