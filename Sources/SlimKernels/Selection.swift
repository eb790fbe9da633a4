/// The `k`-th smallest of `v` (1-based: k = 1 is the minimum), found by quickselect, which
/// reorders `v`: afterwards `v[k − 1]` holds it, everything before is ≤ and everything after
/// is ≥. The one selection of the k-th smallest in SlimLab (magnitude pruning's threshold τ,
/// the representative weight of a quantization report).
///
/// Float order (`<`): `v` must hold no NaN. -0 and 0 compare equal, so either may be returned
/// when both are at rank k.
/// - Complexity: O(n) on average.
@discardableResult
public func kthSmallest(_ v: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
    precondition(k >= 1 && k <= v.count, "kthSmallest: k = \(k) is outside 1…\(v.count)")
    select(v, k - 1)
    return v[k - 1]
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

/// The readable definition of `kthSmallest`: sort, then index.
public func kthSmallestReference(_ v: UnsafeBufferPointer<Float>, _ k: Int) -> Float {
    v.sorted()[k - 1]
}

extension Array where Element == Float {
    /// The `k`-th smallest element (1-based); reorders the array (see `kthSmallest(_:_:)`).
    @discardableResult
    public mutating func kthSmallest(_ k: Int) -> Float {
        withUnsafeMutableBufferPointer { SlimKernels.kthSmallest($0, k) }
    }
}
