/// A canonical Huffman code over the symbols 0 ..< n (Huffman, 1952; canonical form as in
/// DEFLATE, RFC 1951 §3.2.2): optimal lengths from the symbol counts, then codes assigned in
/// order of (length, symbol), so the lengths alone describe the code — which is what a file
/// stores, one byte per symbol.
///
/// ```swift
/// let code = HuffmanCode(frequencies: [45, 13, 12, 16, 9, 5])
/// code.lengths            // [1, 3, 3, 3, 4, 4]
/// code.bitCount(for: [45, 13, 12, 16, 9, 5])   // 224 bits instead of 300 at 3 bits each
/// ```
public struct HuffmanCode: Sendable, Equatable {
    /// The longest code allowed (decoding reads codes into 32-bit integers).
    public static let maximumLength = 24

    /// The code length of every symbol, 0 for a symbol that never occurs.
    public let lengths: [UInt8]
    /// The code of every symbol (its low `lengths[s]` bits, first bit highest).
    public let codes: [UInt32]

    /// The optimal code for these counts (length-limited to ``maximumLength``: if a tree would
    /// be deeper, the counts are halved, keeping every used symbol at least 1, and built again).
    /// Ties are broken by symbol, so the same counts always give the same code. A single used
    /// symbol gets a 1-bit code.
    public init(frequencies: [Int]) {
        var counts = frequencies.map { max(0, $0) }
        var lengths = Self.treeLengths(counts)
        while (lengths.max() ?? 0) > Int(Self.maximumLength) {
            counts = counts.map { $0 == 0 ? 0 : max(1, $0 / 2) }
            lengths = Self.treeLengths(counts)
        }
        self.lengths = lengths.map { UInt8($0) }
        self.codes = Self.canonicalCodes(self.lengths)
    }

    /// The code with these lengths, as read from a file.
    /// - Throws: ``HuffmanError/invalidLengths(_:)`` when the lengths cannot form a prefix code.
    public init(lengths: [UInt8]) throws {
        var kraft = 0.0
        for length in lengths where length > 0 {
            guard Int(length) <= Self.maximumLength else { throw HuffmanError.invalidLengths("a code of \(length) bits is longer than \(Self.maximumLength)") }
            kraft += 1 / Double(1 << Int(length))
        }
        guard kraft <= 1 + 1e-12 else { throw HuffmanError.invalidLengths("the lengths oversubscribe the code space (Kraft sum \(kraft) > 1)") }
        self.lengths = lengths
        self.codes = Self.canonicalCodes(lengths)
    }

    /// Σ count·length: the bits these counts take in this code.
    public func bitCount(for frequencies: [Int]) -> Int {
        zip(frequencies, lengths).reduce(0) { $0 + $1.0 * Int($1.1) }
    }

    /// Appends the codes of `symbols` to `writer`.
    /// - Precondition: every symbol has a code.
    public func encode(_ symbols: [Int], into writer: inout BitWriter) {
        for symbol in symbols {
            precondition(lengths[symbol] > 0, "HuffmanCode: symbol \(symbol) has no code")
            writer.write(codes[symbol], bits: Int(lengths[symbol]))
        }
    }

    /// Reads `count` symbols from `reader`.
    /// - Throws: ``HuffmanError`` when the bits run out or form no code.
    public func decode(count: Int, from reader: inout BitReader) throws -> [Int] {
        // Canonical decoding: per length, the first code and where its symbols start.
        let longest = Int(lengths.max() ?? 0)
        guard longest > 0 || count == 0 else { throw HuffmanError.invalidLengths("no symbol has a code") }
        var perLength = [Int](repeating: 0, count: longest + 1)
        for length in lengths where length > 0 { perLength[Int(length)] += 1 }
        let ordered = lengths.indices.filter { lengths[$0] > 0 }.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var firstCode = [Int](repeating: 0, count: longest + 2), firstIndex = [Int](repeating: 0, count: longest + 2)
        var code = 0, index = 0
        for length in 1...max(1, longest) {
            code = (code + (length > 1 ? perLength[length - 1] : 0)) << (length > 1 ? 1 : 0)
            firstCode[length] = code
            firstIndex[length] = index
            index += length <= longest ? perLength[length] : 0
        }
        var symbols: [Int] = []
        // Every symbol takes at least one bit: a damaged count cannot reserve more than the data holds.
        symbols.reserveCapacity(min(count, reader.remainingBits))
        for _ in 0..<count {
            var value = 0, length = 0
            while true {
                value = value << 1 | (try reader.readBit())
                length += 1
                guard length <= longest else { throw HuffmanError.invalidCode }
                let offset = value - firstCode[length]
                if offset >= 0 && offset < perLength[length] {
                    symbols.append(ordered[firstIndex[length] + offset])
                    break
                }
            }
        }
        return symbols
    }

    /// Code lengths of an optimal prefix code (depths of a Huffman tree), 0 for unused symbols.
    static func treeLengths(_ counts: [Int]) -> [Int] {
        let used = counts.indices.filter { counts[$0] > 0 }
        var lengths = [Int](repeating: 0, count: counts.count)
        if used.count == 1 { lengths[used[0]] = 1 }
        guard used.count >= 2 else { return lengths }
        // Nodes: leaves first, then internal ones; each remembers its parent.
        var weight = used.map { counts[$0] }
        var parent = [Int](repeating: -1, count: used.count)
        // Two queues: leaves sorted by (count, symbol), and internal nodes in creation order
        // (their weights never decrease), the classic linear-time construction.
        let leaves = used.indices.sorted { (weight[$0], used[$0]) < (weight[$1], used[$1]) }
        var leafHead = 0, merged: [Int] = [], mergedHead = 0
        func takeSmallest() -> Int {
            if leafHead < leaves.count && (mergedHead >= merged.count || weight[leaves[leafHead]] <= weight[merged[mergedHead]]) {
                leafHead += 1
                return leaves[leafHead - 1]
            }
            mergedHead += 1
            return merged[mergedHead - 1]
        }
        for _ in 0..<(used.count - 1) {
            let a = takeSmallest(), b = takeSmallest()
            let node = weight.count
            weight.append(weight[a] + weight[b])
            parent.append(-1)
            parent[a] = node
            parent[b] = node
            merged.append(node)
        }
        for (leaf, symbol) in used.enumerated() {
            var depth = 0, node = leaf
            while parent[node] >= 0 { node = parent[node]; depth += 1 }
            lengths[symbol] = depth
        }
        return lengths
    }

    static func canonicalCodes(_ lengths: [UInt8]) -> [UInt32] {
        var codes = [UInt32](repeating: 0, count: lengths.count)
        let ordered = lengths.indices.filter { lengths[$0] > 0 }.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var code: UInt32 = 0, previous = 0
        for (position, symbol) in ordered.enumerated() {
            let length = Int(lengths[symbol])
            if position > 0 { code = (code + 1) << UInt32(length - previous) } else { code = 0 }
            codes[symbol] = code
            previous = length
        }
        return codes
    }
}

/// What can be wrong with Huffman-coded data read back.
public enum HuffmanError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidLengths(String)
    case invalidCode
    case endOfData

    public var description: String {
        switch self {
        case .invalidLengths(let why): return "the Huffman code table is invalid: \(why)"
        case .invalidCode: return "the Huffman-coded bits hold a code that is not in the table"
        case .endOfData: return "the Huffman-coded bits end before all symbols were read"
        }
    }
}
