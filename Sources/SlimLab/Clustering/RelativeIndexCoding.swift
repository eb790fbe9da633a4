/// Sparse positions stored as differences (Deep Compression §2, Figure 2): each kept entry
/// stores the gap to the previous one in b bits instead of its full index. A gap too large for
/// b bits is bridged by filler entries: a zero weight placed 2^b positions on, as often as
/// needed (the paper's example: 3 bits, a gap of 8 → one filler zero).
///
/// Stored here as g = d − 1 ∈ [0, 2^b − 1], with d the distance from the previous entry
/// (from −1 for the first), so that adjacent entries cost the symbol 0.
public enum RelativeIndexCoding {
    /// The entries of one tensor in stored order: the gap symbols and the weight symbols.
    public struct Entries: Sendable, Equatable {
        public var gaps: [Int]
        /// Centroid indices, or `fillerSymbol` for a filler zero.
        public var symbols: [Int]
        public var fillers: Int
    }

    /// Encodes `assignments` (−1 for a pruned entry) with gaps of `bits` bits; fillers take
    /// the symbol `fillerSymbol`.
    public static func encode(_ assignments: [Int32], bits: Int, fillerSymbol: Int) -> Entries {
        let span = 1 << bits
        var gaps: [Int] = [], symbols: [Int] = [], fillers = 0
        var previous = -1
        for (position, a) in assignments.enumerated() where a >= 0 {
            var distance = position - previous
            while distance > span {
                gaps.append(span - 1)
                symbols.append(fillerSymbol)
                fillers += 1
                distance -= span
            }
            gaps.append(distance - 1)
            symbols.append(Int(a))
            previous = position
        }
        return Entries(gaps: gaps, symbols: symbols, fillers: fillers)
    }

    /// The assignments back from entries, for a tensor of `count` entries.
    /// - Throws: ``DeepCompressionFileError/corrupt(_:)`` when a position falls outside the tensor.
    public static func decode(_ entries: Entries, count: Int, fillerSymbol: Int) throws -> [Int32] {
        var assignments = [Int32](repeating: -1, count: count)
        var position = -1
        for (gap, symbol) in zip(entries.gaps, entries.symbols) {
            position += gap + 1
            guard position < count else {
                throw DeepCompressionFileError.corrupt("a sparse index points past the tensor's \(count) entries")
            }
            if symbol != fillerSymbol { assignments[position] = Int32(symbol) }
        }
        return assignments
    }
}
