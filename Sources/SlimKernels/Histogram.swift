/// Counts of `x` in the bins given by ascending `edges` (`edges.count − 1` bins), NumPy's
/// rule: bin `i` holds `edges[i] ≤ x < edges[i+1]`, except the last bin, which also holds
/// `x == edges.last`. Values outside `[edges.first, edges.last]` and NaN are not counted.
///
/// The one binning of SlimLab: `ValueHistogram` (the weight, activation and centroid
/// pictures, `show`) is built on it.
/// - Complexity: O(n log bins).
public func histogram(_ x: UnsafeBufferPointer<Float>, edges: [Float]) -> [Int] {
    precondition(edges.count >= 2, "histogram: needs at least 2 edges, got \(edges.count)")
    for i in 1..<edges.count {
        precondition(edges[i - 1] <= edges[i], "histogram: edges must ascend, but \(edges[i - 1]) > \(edges[i]) at \(i)")
    }
    var counts = [Int](repeating: 0, count: edges.count - 1)
    edges.withUnsafeBufferPointer { e in
        for v in x { if let bin = histogramBin(of: v, edges: e) { counts[bin] += 1 } }
    }
    return counts
}

/// The bin of `v` among ascending `edges` by `histogram(_:edges:)`'s rule (bin `i` holds
/// `edges[i] ≤ v < edges[i+1]`, the last bin also `v == edges.last`), or nil when `v` lies
/// outside `[edges.first, edges.last]` or is NaN.
@inline(__always)
public func histogramBin(of v: Float, edges e: UnsafeBufferPointer<Float>) -> Int? {
    let bins = e.count - 1
    guard v >= e[0] && v <= e[bins] else { return nil }
    // The last edge ≤ v, found by binary search.
    var low = 0, high = bins
    while high - low > 1 {
        let mid = (low + high) / 2
        if e[mid] <= v { low = mid } else { high = mid }
    }
    return low
}

/// `bins` equal-width bins over `[lower, upper]`: the counts, and the `bins + 1` edges
/// `lower + (upper − lower)·i/bins` (computed in Double, rounded to Float).
public func histogram(_ x: UnsafeBufferPointer<Float>, bins: Int, lower: Float, upper: Float)
    -> (counts: [Int], edges: [Float]) {
    let edges = uniformBinEdges(bins: bins, lower: lower, upper: upper)
    return (histogram(x, edges: edges), edges)
}

/// The `bins + 1` edges of equal-width bins over `[lower, upper]`.
public func uniformBinEdges(bins: Int, lower: Float, upper: Float) -> [Float] {
    precondition(bins >= 1, "histogram: bins must be ≥ 1, got \(bins)")
    precondition(lower.isFinite && upper.isFinite && lower < upper,
                 "histogram: the range must be finite with lower < upper, got [\(lower), \(upper)]")
    let width = Double(upper) - Double(lower)
    return (0...bins).map { i in
        i == bins ? upper : Float(Double(lower) + width * Double(i) / Double(bins))
    }
}

/// The readable definition of `histogram(_:edges:)`: a linear scan of the bins.
public func histogramReference(_ x: UnsafeBufferPointer<Float>, edges: [Float]) -> [Int] {
    let bins = edges.count - 1
    var counts = [Int](repeating: 0, count: bins)
    for v in x {
        for i in 0..<bins {
            let inside = v >= edges[i] && (v < edges[i + 1] || (i == bins - 1 && v == edges[i + 1]))
            if inside { counts[i] += 1; break }
        }
    }
    return counts
}

extension Tensor where Element == Float {
    /// Counts of all elements in the bins given by ascending `edges`.
    public func histogram(edges: [Float]) -> [Int] {
        withUnsafeBufferPointer { SlimKernels.histogram($0, edges: edges) }
    }

    /// Counts of all elements in `bins` equal-width bins over `[lower, upper]`, and the edges.
    public func histogram(bins: Int, lower: Float, upper: Float) -> (counts: [Int], edges: [Float]) {
        withUnsafeBufferPointer { SlimKernels.histogram($0, bins: bins, lower: lower, upper: upper) }
    }
}
