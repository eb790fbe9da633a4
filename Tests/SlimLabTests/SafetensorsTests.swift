import Foundation
import XCTest
import SlimKernels
@testable import SlimLab

final class SafetensorsTests: XCTestCase {
    private func fixture(_ name: String) -> String { DatasetFixtures.folder + "/safetensors/" + name }

    private func assertSafetensorsError<T>(_ expression: @autoclosure () throws -> T, _ expected: SafetensorsError,
                                           mentions: [String] = [], file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try expression()
            XCTFail("expected \(expected), got no error", file: file, line: line)
        } catch let error as SafetensorsError {
            XCTAssertEqual(error, expected, file: file, line: line)
            for word in mentions {
                XCTAssertTrue(error.description.contains(word), "'\(error)' does not mention '\(word)'", file: file, line: line)
            }
        } catch {
            XCTFail("expected \(expected), got \(error)", file: file, line: line)
        }
    }

    private func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// The tensors of python-mixed.safetensors, built in Swift (in another order than Python's layout).
    private func mixedInSwift() throws -> SafetensorsFile {
        var file = SafetensorsFile(metadata: ["format": "slimlab-fixture"])
        file["mask"] = try SafetensorsTensor(shape: [3], scalars: [true, false, true])
        file["weight"] = SafetensorsTensor(Tensor<Float>(shape: [2, 3], scalars: [-1.5, 0, 0.25, 3.4028235e38, -Float.leastNonzeroMagnitude, 1.0 / 3]))
        file["scales"] = try SafetensorsTensor(shape: [3], scalars: [Float16(0.5), -2, 65504])
        file["codes"] = try SafetensorsTensor(shape: [2, 2], scalars: [Int8(-128), -1, 0, 127])
        file["pixels"] = try SafetensorsTensor(shape: [4], scalars: [UInt8(0), 1, 128, 255])
        file["counts"] = try SafetensorsTensor(shape: [2], scalars: [Int32.min, Int32.max])
        file["steps"] = try SafetensorsTensor(shape: [], scalars: [Int64(1234567890123)])
        file["empty"] = SafetensorsTensor(Tensor<Float>(shape: [0, 4], scalars: []))
        file["brain"] = try SafetensorsTensor(dtype: .bfloat16, shape: [2], bytes: [0x80, 0x3F, 0x00, 0xBF])
        file["precise"] = try SafetensorsTensor(shape: [2], scalars: [0.1, 1e300])
        return file
    }

    // MARK: - Files written by Python's safetensors

    func testReadsTheFilePythonWroteWithExactValues() throws {
        let file = try SafetensorsFile.read(from: fixture("python-mixed.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "slimlab-fixture"])
        XCTAssertEqual(file.names, ["steps", "precise", "empty", "weight", "counts", "brain", "scales", "codes", "pixels", "mask"])

        let weight = try file.tensor("weight", as: Float.self)
        XCTAssertEqual(weight.shape, [2, 3])
        XCTAssertEqual(weight.scalars.map(\.bitPattern),
                       [-1.5, 0, 0.25, Float.greatestFiniteMagnitude, -Float.leastNonzeroMagnitude, 1.0 / 3].map(\.bitPattern))
        let scales = try XCTUnwrap(file["scales"])
        XCTAssertEqual(scales.dtype, .float16)
        XCTAssertEqual(try scales.floats(), [0.5, -2, 65504])
        XCTAssertEqual(try file.tensor("scales", as: Float16.self).scalars, [0.5, -2, 65504])
        XCTAssertEqual(try file.tensor("codes", as: Int8.self), Tensor(shape: [2, 2], scalars: [-128, -1, 0, 127]))
        XCTAssertEqual(try file.tensor("pixels", as: UInt8.self).scalars, [0, 1, 128, 255])
        XCTAssertEqual(try file.tensor("counts", as: Int32.self).scalars, [Int32.min, Int32.max])
        let steps = try file.tensor("steps", as: Int64.self)
        XCTAssertEqual(steps.shape, [])
        XCTAssertEqual(steps.scalars, [1234567890123])
        let empty = try file.tensor("empty", as: Float.self)
        XCTAssertEqual(empty.shape, [0, 4])
        XCTAssertEqual(empty.count, 0)
        XCTAssertEqual(try file.tensor("mask", as: Bool.self).scalars, [true, false, true])
        XCTAssertEqual(file["brain"]?.bytes, [0x80, 0x3F, 0x00, 0xBF])
        XCTAssertEqual(try file["brain"]?.floats(), [1, -0.5])
        XCTAssertEqual(try file.tensor("precise", as: Double.self).scalars, [0.1, 1e300])
        XCTAssertEqual(try file["precise"]?.floats(), [0.1, .infinity])
    }

    func testWritesTheVeryBytesPythonWrites() throws {
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("python-mixed.safetensors"))))
        XCTAssertEqual(try SafetensorsFile(decoding: original).encoded(), original)
        XCTAssertEqual(try mixedInSwift().encoded(), original)
        XCTAssertEqual(try mixedInSwift(), try SafetensorsFile(decoding: original))
    }

    func testMetadataWithEscapesAndUnicode() throws {
        let file = try SafetensorsFile.read(from: fixture("python-metadata.safetensors"))
        XCTAssertEqual(file.metadata, ["architecture": "mlp 64-64-10", "note": "café \"quoted\"\nline\ttab", "empty": ""])
        let encoded = try file.encoded()
        let header = String(decoding: encoded[8..<(8 + Int(encoded[0]))], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix(#"{"__metadata__":{"architecture":"mlp 64-64-10","empty":"","note":"café \"quoted\"\nline\ttab"},"x":"#), header)
        XCTAssertEqual(try SafetensorsFile(decoding: encoded), file)
    }

    // MARK: - Writing

    func testRoundTripThroughDiskIsExactAndAtomic() throws {
        let folder = try temporaryFolder()
        let path = folder + "/model.safetensors"
        var file = try mixedInSwift()
        file.metadata["architecture"] = "mlp 64-64-10"
        try file.write(to: path)
        let back = try SafetensorsFile.read(from: path)
        XCTAssertEqual(back, file)
        XCTAssertEqual(try back.encoded(), try file.encoded())

        // Replacing works and leaves no temporary file behind.
        file["weight"] = nil
        file["extra"] = SafetensorsTensor(Tensor<Float>(shape: [1], scalars: [.nan]))
        try file.write(to: path)
        let replaced = try SafetensorsFile.read(from: path)
        XCTAssertNil(replaced["weight"])
        XCTAssertTrue(try replaced.tensor("extra", as: Float.self)[0].isNaN)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.safetensors"])

        // A write that fails leaves the earlier file as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var bad = SafetensorsFile()
        bad["__metadata__"] = file["extra"]
        assertSafetensorsError(try bad.write(to: path), .reservedName(name: "__metadata__"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        let nowhere = folder + "/missing/model.safetensors"
        XCTAssertThrowsError(try file.write(to: nowhere)) { error in
            guard case let .writeFailed(path, _)? = error as? SafetensorsError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, nowhere)
        }
    }

    func testEmptyFileAndLayoutAlignment() throws {
        let empty = try SafetensorsFile().encoded()
        XCTAssertEqual(empty, [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        XCTAssertEqual(try SafetensorsFile(decoding: empty), SafetensorsFile())
        // Every tensor starts at a multiple of its element size from the start of the file.
        let encoded = try mixedInSwift().encoded()
        let decoded = try SafetensorsFile(decoding: encoded)
        XCTAssertEqual((8 + Int(encoded[0])) % 8, 0)
        var offset = 0
        for (_, tensor) in decoded.tensors {
            XCTAssertEqual(offset % tensor.dtype.byteSize, 0)
            offset += tensor.bytes.count
        }
    }

    // MARK: - Typed access

    func testTypedAccessChecksTheDtype() throws {
        let file = try mixedInSwift()
        assertSafetensorsError(try file.tensor("codes", as: Float.self),
                               .dtypeMismatch(name: "codes", stored: .int8, requested: .float32),
                               mentions: ["tensor 'codes' is stored as I8, not F32"])
        assertSafetensorsError(try file.tensor("fc9.weight", as: Float.self),
                               .missingTensor(name: "fc9.weight", available: file.names), mentions: ["no tensor named 'fc9.weight'"])
        XCTAssertEqual(try file.tensor("scales", as: UInt16.self).scalars, [0x3800, 0xC000, 0x7BFF])
        var bools = SafetensorsFile()
        bools["m"] = try SafetensorsTensor(dtype: .bool, shape: [2], bytes: [1, 7])
        assertSafetensorsError(try bools.tensor("m", as: Bool.self), .invalidBool(name: "m", index: 1, byte: 7))
        assertSafetensorsError(try SafetensorsTensor(dtype: .float32, shape: [2, 2], bytes: [0, 0, 0, 0]),
                               .shapeMismatch(name: "", shape: [2, 2], byteCount: 4, dtype: .float32),
                               mentions: ["needs 16 bytes, got 4"])
        assertSafetensorsError(try SafetensorsTensor(shape: [3], scalars: [Float(1)]),
                               .shapeMismatch(name: "", shape: [3], byteCount: 4, dtype: .float32))
        assertSafetensorsError(try SafetensorsTensor(dtype: .float8E4M3, shape: [1], bytes: [0x38]).floats(),
                               .dtypeMismatch(name: "", stored: .float8E4M3, requested: .float32))
    }

    func testHalfPrecisionConversionIsExactForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let ours = SafetensorsTensor.floatFromHalf(bits: bits)
            let swift = Float(Float16(bitPattern: bits))
            if swift.isNaN {
                XCTAssertTrue(ours.isNaN)
            } else {
                XCTAssertEqual(ours.bitPattern, swift.bitPattern, "half 0x\(String(bits, radix: 16))")
            }
        }
    }

    // MARK: - Broken files, one committed fixture each

    func testBrokenFilesGiveClearErrors() {
        func check(_ name: String, _ expected: (String) -> SafetensorsError, mentions: [String] = [],
                   line: UInt = #line) {
            let path = fixture(name)
            assertSafetensorsError(try SafetensorsFile.read(from: path), expected(path), mentions: mentions, line: line)
        }
        check("bad-too-short.safetensors", { .tooShort(path: $0, size: 5) }, mentions: ["fewer than the 8"])
        check("bad-header-beyond-file.safetensors", { .headerBeyondFile(path: $0, length: 1000, fileSize: 53) },
              mentions: ["runs past the end of the file"])
        check("bad-header-huge.safetensors", { .headerTooLarge(path: $0, length: 1 << 40, limit: 100_000_000) })
        check("bad-header-start.safetensors", { .badHeaderStart(path: $0) }, mentions: ["does not start with '{'"])
        check("bad-json.safetensors", { .badJSON(path: $0, offset: 64, reason: "expected ',' or '}' in an object, found the end of the text") },
              mentions: ["not valid JSON at byte 64"])
        check("bad-duplicate-name.safetensors", { .badJSON(path: $0, offset: 54, reason: "the key \"a\" appears twice in one object") })
        check("bad-dtype.safetensors", { .unknownDType(path: $0, name: "a", dtype: "F99") }, mentions: ["unknown dtype 'F99'", "F32"])
        check("bad-size-mismatch.safetensors", {
            .sizeMismatch(path: $0, name: "a", dtype: .float32, shape: [2, 2], expectedBytes: 16, actualBytes: 12)
        }, mentions: ["needs 16 bytes, but its data_offsets span 12"])
        check("bad-offsets-reversed.safetensors", { .offsetsReversed(path: $0, name: "a", begin: 8, end: 4) })
        check("bad-overlap.safetensors", { .overlapping(path: $0, name: "b", other: "a") }, mentions: ["'a' and 'b' overlap"])
        check("bad-gap.safetensors", { .notCovered(path: $0, begin: 4, end: 8) }, mentions: ["data bytes 4..<8 belong to no tensor"])
        check("bad-trailing-data.safetensors", { .notCovered(path: $0, begin: 4, end: 8) })
        check("bad-truncated.safetensors", { .truncated(path: $0, name: "mask", end: 77, dataSize: 74) },
              mentions: ["is truncated", "ends at data byte 77"])
        check("bad-metadata.safetensors", { .badMetadata(path: $0, reason: "maps 'epochs' to a number") },
              mentions: ["must map strings to strings"])
        check("bad-missing-offsets.safetensors", { .badHeaderEntry(path: $0, name: "a", reason: "has no data_offsets") })
        check("bad-shape.safetensors", {
            .badHeaderEntry(path: $0, name: "a", reason: "has a shape that is not a list of non-negative integers")
        })
        let missing = fixture("nope.safetensors")
        assertSafetensorsError(try SafetensorsFile.read(from: missing), .fileNotFound(path: missing))
        let folder = DatasetFixtures.folder
        assertSafetensorsError(try SafetensorsFile.read(from: folder), .notAFile(path: folder))
    }

    func testEveryTruncationOfAGoodFileIsRejected() throws {
        let good = try SafetensorsFile.read(from: fixture("python-mixed.safetensors")).encoded()
        for length in 0..<good.count {
            XCTAssertThrowsError(try SafetensorsFile(decoding: Array(good[0..<length])), "length \(length)") { error in
                XCTAssertTrue(error is SafetensorsError)
            }
        }
    }
}
