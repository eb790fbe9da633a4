import XCTest
import Foundation
import SlimKernels
@testable import SlimLab

/// Every file SlimLab reads, damaged every way one byte can damage it: cut short at every
/// length, and each byte set to 0x00, 0xFF and to its bits flipped. Each must give an error
/// (or, where the damage happens to leave a valid file, a valid result) — never a crash, a
/// huge allocation or a non-finite weight. The classes of issue 13 each have a named test in
/// `ReliabilityTests`, `IDXLoaderTests`, `GzipDatasetTests` and the session folder tests; these
/// sweeps keep the formats added since (gzip'd IDX, Deep Compression files) under the same rule.
final class CorruptFileTests: XCTestCase {
    /// The damaged versions of `bytes`: every prefix, and every byte replaced three ways.
    private func damaged(_ bytes: [UInt8]) -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = (0..<bytes.count).map { ("cut to \($0) bytes", Array(bytes.prefix($0))) }
        for index in bytes.indices {
            for value in Set([0x00, 0xFF, ~bytes[index]]) where value != bytes[index] {
                var copy = bytes
                copy[index] = value
                result.append(("byte \(index) set to \(value)", copy))
            }
        }
        return result
    }

    func testEveryDamageOfAGzipIDXFileIsAnErrorOrItsOwnBytes() throws {
        let plain = try readFileBytes(atPath: DatasetFixtures.path("tiny-images-idx3-ubyte"))
        let packed = try readFileBytes(atPath: DatasetFixtures.path("tiny-images-idx3-ubyte.gz"))
        var errors = 0
        for (what, bytes) in damaged(packed) {
            do {
                let unpacked = try Gzip.decompress(bytes, path: "d", limit: 1 << 16)
                // gzip's CRC and length guard the data: whatever unpacks is the data itself
                // (damage in the header's name or time fields changes nothing).
                XCTAssertEqual(unpacked, plain, what)
            } catch {
                XCTAssertNotNil(error as? DatasetError, "\(what): \(error)")
                errors += 1
            }
        }
        XCTAssertGreaterThan(errors, packed.count, "most damage must be noticed")
    }

    func testEveryDamageOfADeepCompressionFileIsAnErrorOrAFiniteModel() throws {
        var generator = SeededGenerator(seed: 0)
        let source = try ModelArchitecture.mlp("8-6-3").makeModel(generator: &generator)
        let pruned = try MagnitudePruning.prune(model: source, sparsity: 0.5, scope: .global).model
        let clustered = try WeightClustering.cluster(pruned, k: 4, initialization: .linear).model
        let bytes = DeepCompressionFile.encode(clustered).bytes
        XCTAssertEqual(try DeepCompressionFile.decode(bytes).architecture, clustered.architecture)
        // Found by this sweep: a centroid or fp32 value damaged into NaN or infinity loaded silently.
        var nan = bytes
        let centroid = try XCTUnwrap(clustered.codebooks["fc1.weight"]).centroids[0].bitPattern
        let at = try XCTUnwrap((0..<(bytes.count - 4)).first { i in
            bytes[i..<(i + 4)].elementsEqual(withUnsafeBytes(of: centroid.littleEndian) { Array($0) })
        })
        nan.replaceSubrange(at..<(at + 4), with: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Array($0) })
        XCTAssertThrowsError(try DeepCompressionFile.decode(nan)) { error in
            XCTAssertTrue("\(error)".contains("SlimLab never writes NaN or infinity"), "\(error)")
        }
        for (what, damagedBytes) in damaged(bytes) {
            do {
                let model = try DeepCompressionFile.decode(damagedBytes)
                for name in model.parameterNames {
                    XCTAssertTrue(try model.parameter(named: name).value.scalars.allSatisfy(\.isFinite), "\(what): \(name)")
                }
            } catch {
                XCTAssertTrue(error is DeepCompressionFileError || error is HuffmanError || error is ModelError
                              || error is ResourceError || "\(type(of: error))".hasSuffix("Error"), "\(what): \(error)")
            }
        }
    }

    /// An entry count of 4 billion in a 200-byte file must not reserve 32 GB before reading.
    func testAHugeEntryCountInADeepCompressionFileIsAnError() throws {
        var reader = BitReader([0b1010_1010])
        let code = try HuffmanCode(lengths: [1, 1])
        XCTAssertThrowsError(try code.decode(count: Int(UInt32.max), from: &reader)) { error in
            XCTAssertEqual(error as? HuffmanError, .endOfData)
        }
    }

    func testEveryDamageOfAModelFileIsAnErrorOrAFiniteModel() throws {
        var generator = SeededGenerator(seed: 0)
        var model = try ModelArchitecture.mlp("3-2-2").makeModel(generator: &generator)
        model = try MagnitudePruning.prune(model: model, sparsity: 0.5, scope: .global).model
        let bytes = try ModelFile.encode(model, name: "m").encoded()
        XCTAssertNoThrow(try ModelFile.decode(SafetensorsFile(decoding: bytes)))
        for (what, damagedBytes) in damaged(bytes) {
            guard let file = try? SafetensorsFile(decoding: damagedBytes), let loaded = try? ModelFile.decode(file) else { continue }
            for name in loaded.parameterNames {
                let parameter = try loaded.parameter(named: name)
                XCTAssertTrue(parameter.value.scalars.allSatisfy(\.isFinite), "\(what): \(name)")
                XCTAssertTrue(parameter.mask.map { $0.scalars.allSatisfy { $0 == 0 || $0 == 1 } } ?? true, "\(what): \(name) mask")
            }
        }
    }
}
