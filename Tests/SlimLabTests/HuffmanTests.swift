import XCTest
import SlimKernels
@testable import SlimLab

/// Huffman codes, bit streams, relative sparse indices and the Deep Compression file.
final class HuffmanTests: XCTestCase {
    func testTheTextbookExample() {
        // CLRS 16.3: a:45 b:13 c:12 d:16 e:9 f:5 → 224 bits.
        let counts = [45, 13, 12, 16, 9, 5]
        let code = HuffmanCode(frequencies: counts)
        XCTAssertEqual(code.lengths, [1, 3, 3, 3, 4, 4])
        XCTAssertEqual(code.bitCount(for: counts), 224)
        // Canonical: codes by (length, symbol).
        XCTAssertEqual(code.codes, [0b0, 0b100, 0b101, 0b110, 0b1110, 0b1111])
    }

    func testRoundTripsOnManyAlphabets() throws {
        var generator = SeededGenerator(seed: 2)
        for size in [1, 2, 3, 17, 33, 257] {
            let symbols = (0..<1500).map { _ in min(size - 1, Int(abs(generator.normal()) * Double(size) / 3)) }
            var counts = [Int](repeating: 0, count: size)
            for s in symbols { counts[s] += 1 }
            let code = HuffmanCode(frequencies: counts)
            var writer = BitWriter()
            code.encode(symbols, into: &writer)
            XCTAssertEqual(writer.bitCount, code.bitCount(for: counts))
            XCTAssertEqual(writer.bytes.count, (writer.bitCount + 7) / 8)
            var reader = BitReader(writer.bytes)
            let reread = try HuffmanCode(lengths: code.lengths)
            XCTAssertEqual(try reread.decode(count: symbols.count, from: &reader), symbols, "alphabet \(size)")
            // Never worse than fixed length, and within one bit of the entropy.
            let n = Double(symbols.count)
            let entropy = counts.filter { $0 > 0 }.reduce(0.0) { $0 - Double($1) / n * log2(Double($1) / n) }
            XCTAssertLessThanOrEqual(Double(writer.bitCount) / n, max(1, entropy + 1))
        }
    }

    func testLengthsAreLimitedAndBadTablesRejected() throws {
        // Fibonacci counts make the deepest possible tree (length 39 for 40 symbols).
        var fibonacci = [1, 1]
        while fibonacci.count < 40 { fibonacci.append(fibonacci[fibonacci.count - 1] + fibonacci[fibonacci.count - 2]) }
        let code = HuffmanCode(frequencies: fibonacci)
        XCTAssertLessThanOrEqual(Int(code.lengths.max()!), HuffmanCode.maximumLength)
        XCTAssertNoThrow(try HuffmanCode(lengths: code.lengths))
        XCTAssertThrowsError(try HuffmanCode(lengths: [1, 1, 1]))
        var reader = BitReader([0xFF])
        XCTAssertThrowsError(try HuffmanCode(lengths: [1, 2, 0]).decode(count: 2, from: &reader))
        var short = BitReader([])
        XCTAssertEqual(try? HuffmanCode(lengths: [1, 1]).decode(count: 1, from: &short), nil)
    }

    func testRelativeIndicesInsertFillersAtTheGapBound() throws {
        // The paper's Figure 2 idea with 3-bit gaps (span 8): positions 1, 4 and 15.
        var assignments = [Int32](repeating: -1, count: 20)
        assignments[1] = 2; assignments[4] = 0; assignments[15] = 1
        let entries = RelativeIndexCoding.encode(assignments, bits: 3, fillerSymbol: 9)
        // 1: d=2 → g=1; 4: d=3 → g=2; 15: d=11 > 8 → filler at 12 (g=7), then d=3 → g=2.
        XCTAssertEqual(entries.gaps, [1, 2, 7, 2])
        XCTAssertEqual(entries.symbols, [2, 0, 9, 1])
        XCTAssertEqual(entries.fillers, 1)
        XCTAssertEqual(try RelativeIndexCoding.decode(entries, count: 20, fillerSymbol: 9), assignments)
        XCTAssertThrowsError(try RelativeIndexCoding.decode(entries, count: 14, fillerSymbol: 9))
    }

    func testTheFileRoundTripsAModelExactly() throws {
        var generator = SeededGenerator(seed: 0)
        let source = try ModelArchitecture.mlp("64-32-10").makeModel(generator: &generator)
        let pruned = try MagnitudePruning.prune(model: source, sparsity: 0.9, scope: .global).model
        let clustered = try WeightClustering.cluster(pruned, k: 16, initialization: .linear, coding: .huffman).model
        let encoding = DeepCompressionFile.encode(clustered)
        XCTAssertEqual(encoding.headerBytes + encoding.tensors.reduce(0) { $0 + $1.bytes }, encoding.bytes.count)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-\(ProcessInfo.processInfo.processIdentifier).sldc").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DeepCompressionFile.write(encoding, to: path)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue, encoding.bytes.count)
        let loaded = try DeepCompressionFile.read(path)
        XCTAssertEqual(loaded.architecture, clustered.architecture)
        for name in clustered.parameterNames {
            XCTAssertEqual(try loaded.parameter(named: name).value, try clustered.parameter(named: name).value, name)
        }
        XCTAssertEqual(loaded.codebooks, clustered.codebooks)
        XCTAssertEqual(loaded.pruningMasks["fc1.weight"], clustered.pruningMasks["fc1.weight"])
        // The model counts what the file holds: its tensors, without the header and the names.
        let names = clustered.parameterNames.reduce(0) { $0 + 1 + $1.utf8.count }
        let counts = clustered.parameterNames.reduce(0) { $0 + 1 + 4 + (clustered.codebooks[$1] == nil ? 0 : 2 + 1 + 4 + 4 + 4) }
        XCTAssertEqual(clustered.storedByteCount + encoding.headerBytes + names + counts, encoding.bytes.count)
        XCTAssertEqual(loaded.storedByteCount, clustered.storedByteCount)
        // Damage is reported, never a crash.
        XCTAssertThrowsError(try DeepCompressionFile.decode(Array(encoding.bytes.prefix(encoding.bytes.count - 3))))
        XCTAssertThrowsError(try DeepCompressionFile.decode(Array("SLDX".utf8) + encoding.bytes.dropFirst(4))) {
            XCTAssertEqual($0 as? DeepCompressionFileError, .notThisFormat)
        }
    }
}
