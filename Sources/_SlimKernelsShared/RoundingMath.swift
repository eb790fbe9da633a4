/// Rounding helpers every kernel target inlines (compiled for the caller's instruction set).
public enum RoundingMath {
    /// `v.rounded(.toNearestOrEven)` for results that are clamped to a small integer range next
    /// (int8 codes): |v| is first limited to 2²², then 1.5·2²³ is added and subtracted — at that
    /// magnitude the spacing of Floats is 1, so the addition itself rounds half to even, exactly.
    /// Plain adds vectorize on every CPU, where `rounded` needs SSE4.1 and is a libm call per
    /// element on the x86-64 baseline. NaN stays NaN; the sign of a zero result may differ,
    /// which no integer code can tell.
    @inlinable @inline(__always)
    public static func roundedHalfEvenForClamping(_ v: Float) -> Float {
        let limit: Float = 4_194_304
        let w = v < -limit ? -limit : (v > limit ? limit : v)
        return (w + 12_582_912) - 12_582_912
    }

    /// `roundedHalfEvenForClamping` on 16 lanes.
    @inlinable @inline(__always)
    public static func roundedHalfEvenForClamping(_ v: SIMD16<Float>) -> SIMD16<Float> {
        let limit = SIMD16<Float>(repeating: 4_194_304), magic = SIMD16<Float>(repeating: 12_582_912)
        let w = select(v .< -limit, -limit, select(v .> limit, limit, v))
        return (w + magic) - magic
    }

    /// `mask ? a : b` per lane, as bit operations: the stdlib's `replacing(with:where:)` is a
    /// lane-by-lane loop that LLVM splits into 128-bit pieces.
    @inlinable @inline(__always)
    public static func select(_ mask: SIMDMask<SIMD16<Int32>>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        let m = unsafeBitCast(mask, to: SIMD16<Int32>.self)
        let bits = (unsafeBitCast(a, to: SIMD16<Int32>.self) & m) | (unsafeBitCast(b, to: SIMD16<Int32>.self) & ~m)
        return unsafeBitCast(bits, to: SIMD16<Float>.self)
    }

    /// `v` clamped to `low…high` per lane (`v < low ? low : (v > high ? high : v)`).
    @inlinable @inline(__always)
    public static func clamped(_ v: SIMD16<Float>, _ low: SIMD16<Float>, _ high: SIMD16<Float>) -> SIMD16<Float> {
        select(v .< low, low, select(v .> high, high, v))
    }

    /// Float lanes holding integers with |v| < 2²² as Int32, exactly: adding 1.5·2²³ puts the
    /// integer in the low mantissa bits. (The generic SIMD Float→Int conversion is not vectorized.)
    @inlinable @inline(__always)
    public static func smallIntegers(_ v: SIMD16<Float>) -> SIMD16<Int32> {
        unsafeBitCast(v + 12_582_912, to: SIMD16<Int32>.self) &- 0x4B40_0000
    }

    /// `Float(v)` per lane, correctly rounded (half to even), for any Int32: the high and low
    /// 16 bits are each made exactly by the 1.5·2²³ trick, and one addition rounds their sum.
    /// The same bits as `cvtdq2ps` and as `Float(_:)`; written out because the stdlib's
    /// generic SIMD conversion is a call that converts lane by lane.
    @inlinable @inline(__always)
    public static func floats(_ v: SIMD16<Int32>) -> SIMD16<Float> {
        let magic = SIMD16<Int32>(repeating: 0x4B40_0000)
        let high = unsafeBitCast((v &>> 16) &+ magic, to: SIMD16<Float>.self) - 12_582_912
        let low = unsafeBitCast((v & 0xFFFF) &+ magic, to: SIMD16<Float>.self) - 12_582_912
        return high * 65_536 + low
    }
}
