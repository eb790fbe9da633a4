/// The `p`-th percentile of `x` (p in 0…100) with linear interpolation between the two
/// nearest ranks, NumPy's default (`method="linear"`): with `v` sorted and `r = p/100·(n−1)`,
/// the result is `v[⌊r⌋] + (r − ⌊r⌋)·(v[⌊r⌋+1] − v[⌊r⌋])`.
///
/// Used by percentile calibration, which clips an activation range at, say, the 99.99th
/// percentile instead of the maximum. NaN elements are ignored; an empty buffer gives NaN.
/// - Complexity: O(n) on average (quickselect on a copy).
public func percentile(_ x: UnsafeBufferPointer<Float>, _ p: Double) -> Float {
    precondition(p >= 0 && p <= 100, "percentile: p must be in 0…100, got \(p)")
    var values = x.filter { !$0.isNaN }
    if values.isEmpty { return .nan }
    let rank = p / 100 * Double(values.count - 1)
    let lower = Int(rank.rounded(.down))
    let fraction = rank - Double(lower)
    return values.withUnsafeMutableBufferPointer { v in
        select(v, lower)
        let low = v[lower]
        if fraction == 0 || lower + 1 >= v.count { return low }
        // After selection everything right of `lower` is ≥ v[lower]; the next rank is their minimum.
        var high = Float.infinity
        for i in (lower + 1)..<v.count where v[i] < high { high = v[i] }
        return interpolate(low, high, fraction)
    }
}

@inline(__always)
func interpolate(_ low: Float, _ high: Float, _ fraction: Double) -> Float {
    Float(Double(low) + fraction * (Double(high) - Double(low)))
}

/// Rearranges `v` so that `v[k]` is the element a sort would put there, everything before it
/// is ≤ and everything after it is ≥ (Hoare's quickselect, median-of-three pivots).
func select(_ v: UnsafeMutableBufferPointer<Float>, _ k: Int) {
    var low = 0, high = v.count - 1
    while high > low {
        let mid = low + (high - low) / 2
        // Median of three to v[mid].
        if v[mid] < v[low] { v.swapAt(mid, low) }
        if v[high] < v[low] { v.swapAt(high, low) }
        if v[high] < v[mid] { v.swapAt(high, mid) }
        let pivot = v[mid]
        var i = low, j = high
        while i <= j {
            while v[i] < pivot { i += 1 }
            while v[j] > pivot { j -= 1 }
            if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
        }
        if k <= j { high = j } else if k >= i { low = i } else { return }
    }
}

/// The readable definition of `percentile`: sort, then interpolate.
public func percentileReference(_ x: UnsafeBufferPointer<Float>, _ p: Double) -> Float {
    let v = x.filter { !$0.isNaN }.sorted()
    if v.isEmpty { return .nan }
    let rank = p / 100 * Double(v.count - 1)
    let lower = Int(rank.rounded(.down))
    let upper = min(lower + 1, v.count - 1)
    return interpolate(v[lower], v[upper], rank - Double(lower))
}

extension Tensor where Element == Float {
    /// The `p`-th percentile (0…100) of all elements, interpolated linearly as NumPy does.
    public func percentile(_ p: Double) -> Float {
        withUnsafeBufferPointer { SlimKernels.percentile($0, p) }
    }
}
