/// How the indices of a weight-shared tensor are written: at a fixed width, or Huffman-coded
/// (Deep Compression's third stage).
public enum SharedIndexCoding: String, Sendable, CaseIterable {
    /// ⌈log₂ k⌉ bits per index (one more symbol, the filler, when a pruned tensor needs one),
    /// and the relative sparse indices at their fixed width: the paper's P+Q.
    case fixed
    /// Both streams Huffman-coded with canonical codes whose lengths are stored (P+Q+H).
    case huffman
}

/// A weight-shared tensor as it is stored — its k centroids, then per stored entry a centroid
/// index — the one encoding behind the size a clustered variant reports, its model file and
/// the `.sldc` file of `compress deep`.
///
/// An unpruned tensor stores one index per entry, in row-major order. A pruned one (some entry
/// holds no centroid) stores only its kept entries, each with the gap to the previous one
/// (`RelativeIndexCoding`: `gapBits` bits, a filler entry with the symbol k where a gap is
/// longer). Both streams are either fixed-width or Huffman-coded; bits go first into the
/// highest place of each byte, and each stream ends at a byte boundary.
///
/// Bytes: the streams, the code lengths (Huffman only: k or k + 1 for the symbols, 2^gapBits for
/// the gaps) and 4·k for the centroids.
public struct SharedWeightEncoding: Sendable, Equatable {
    public var coding: SharedIndexCoding
    public var centroids: [Float]
    /// n, the tensor's entries.
    public var count: Int
    /// The width of a relative index, or nil for an unpruned tensor (no gaps stored).
    public var gapBits: Int?
    /// Stored entries: n when unpruned, else kept entries and fillers.
    public var entries: Int
    public var fillers: Int
    /// The symbol stream (centroid indices, k for a filler) and its bits before padding.
    public var symbols: [UInt8]
    public var symbolBitCount: Int
    /// The gap stream (empty when unpruned) and its bits before padding.
    public var gaps: [UInt8]
    public var gapBitCount: Int
    /// Huffman only: the code length of every symbol, then of every gap.
    public var codeLengths: [UInt8]

    /// k.
    public var clusters: Int { centroids.count }
    /// Symbols in the alphabet: k, and the filler when the tensor is pruned.
    public var symbolCount: Int { clusters + (gapBits == nil ? 0 : 1) }
    /// The fixed width of one symbol: ⌈log₂ k⌉, or ⌈log₂(k + 1)⌉ when a filler occurs (the
    /// width the `fixed` coding writes; Huffman codes average below it).
    public var fixedSymbolBits: Int
    /// Bytes as stored: both streams, the code lengths and the centroids.
    public var byteCount: Int { symbols.count + gaps.count + codeLengths.count + 4 * clusters }

    /// The gap width of a tensor: 5 bits for Dense weights, 8 for convolutions (as in the paper).
    public static func gapBits(forShape shape: [Int]) -> Int { shape.count > 2 ? 8 : 5 }

    /// Encodes `codebook` (for a tensor of `shape`) with `coding`; `relative` forces relative
    /// indices on an unpruned tensor (the `.sldc` file always stores them).
    public init(_ codebook: WeightCodebook, shape: [Int], coding: SharedIndexCoding, relative: Bool = false) {
        let k = codebook.clusterCount
        self.coding = coding
        self.centroids = codebook.centroids
        self.count = codebook.assignments.count
        let pruned = relative || codebook.assignments.contains { $0 < 0 }
        var symbolList: [Int], gapList: [Int] = []
        if pruned {
            let bits = Self.gapBits(forShape: shape)
            let coded = RelativeIndexCoding.encode(codebook.assignments, bits: bits, fillerSymbol: k)
            (symbolList, gapList, fillers, gapBits) = (coded.symbols, coded.gaps, coded.fillers, bits)
        } else {
            (symbolList, fillers, gapBits) = (codebook.assignments.map(Int.init), 0, nil)
        }
        entries = symbolList.count
        fixedSymbolBits = WeightClustering.indexBits(k + (fillers > 0 ? 1 : 0))
        var symbolWriter = BitWriter(), gapWriter = BitWriter()
        switch coding {
        case .fixed:
            for s in symbolList { symbolWriter.write(UInt32(s), bits: fixedSymbolBits) }
            if let gapBits { for g in gapList { gapWriter.write(UInt32(g), bits: gapBits) } }
            codeLengths = []
        case .huffman:
            var symbolCounts = [Int](repeating: 0, count: k + (pruned ? 1 : 0))
            for s in symbolList { symbolCounts[s] += 1 }
            let symbolCode = HuffmanCode(frequencies: symbolCounts)
            symbolCode.encode(symbolList, into: &symbolWriter)
            codeLengths = symbolCode.lengths
            if let gapBits {
                var gapCounts = [Int](repeating: 0, count: 1 << gapBits)
                for g in gapList { gapCounts[g] += 1 }
                let gapCode = HuffmanCode(frequencies: gapCounts)
                gapCode.encode(gapList, into: &gapWriter)
                codeLengths += gapCode.lengths
            }
        }
        (symbols, symbolBitCount) = (symbolWriter.bytes, symbolWriter.bitCount)
        (gaps, gapBitCount) = (gapWriter.bytes, gapWriter.bitCount)
    }

    /// An encoding as read from a file; `assignments()` checks it.
    public init(coding: SharedIndexCoding, centroids: [Float], count: Int, gapBits: Int?, entries: Int,
                fixedSymbolBits: Int, symbols: [UInt8], gaps: [UInt8], codeLengths: [UInt8]) {
        self.coding = coding
        self.centroids = centroids
        self.count = count
        self.gapBits = gapBits
        self.entries = entries
        self.fixedSymbolBits = fixedSymbolBits
        self.fillers = 0
        self.symbols = symbols
        self.symbolBitCount = symbols.count * 8
        self.gaps = gaps
        self.gapBitCount = gaps.count * 8
        self.codeLengths = codeLengths
    }

    /// The assignments back (−1 where pruned), checked: every symbol names a centroid or the
    /// filler, every position lies inside the tensor.
    /// - Throws: ``DeepCompressionFileError/corrupt(_:)`` or a ``HuffmanError`` naming what is wrong.
    public func assignments() throws -> [Int32] {
        let k = clusters
        var symbolReader = BitReader(symbols), gapReader = BitReader(gaps)
        let symbolList: [Int], gapList: [Int]
        switch coding {
        case .fixed:
            guard fixedSymbolBits >= 1 && fixedSymbolBits <= 16, (entries * fixedSymbolBits + 7) / 8 == symbols.count,
                  (entries * (gapBits ?? 0) + 7) / 8 == gaps.count else {
                throw DeepCompressionFileError.corrupt("\(symbols.count) + \(gaps.count) bytes do not hold \(entries) entries "
                                                       + "of \(fixedSymbolBits) + \(gapBits ?? 0) bits")
            }
            symbolList = try (0..<entries).map { _ in Int(try symbolReader.read(bits: fixedSymbolBits)) }
            gapList = try gapBits.map { bits in try (0..<entries).map { _ in Int(try gapReader.read(bits: bits)) } } ?? []
        case .huffman:
            guard codeLengths.count == symbolCount + (gapBits.map { 1 << $0 } ?? 0) else {
                throw DeepCompressionFileError.corrupt("\(codeLengths.count) code lengths for \(symbolCount) symbols"
                                                       + (gapBits.map { " and \(1 << $0) gaps" } ?? ""))
            }
            let symbolCode = try HuffmanCode(lengths: Array(codeLengths.prefix(symbolCount)))
            symbolList = try symbolCode.decode(count: entries, from: &symbolReader)
            if gapBits != nil {
                let gapCode = try HuffmanCode(lengths: Array(codeLengths.dropFirst(symbolCount)))
                gapList = try gapCode.decode(count: entries, from: &gapReader)
            } else {
                gapList = []
            }
        }
        if let bad = symbolList.first(where: { $0 > k || ($0 == k && gapBits == nil) }) {
            throw DeepCompressionFileError.corrupt("index \(bad) names no centroid of \(k)")
        }
        guard gapBits != nil else {
            guard entries == count else { throw DeepCompressionFileError.corrupt("\(entries) indices for \(count) weights") }
            return symbolList.map { Int32($0) }
        }
        return try RelativeIndexCoding.decode(RelativeIndexCoding.Entries(gaps: gapList, symbols: symbolList, fillers: 0),
                                              count: count, fillerSymbol: k)
    }
}
