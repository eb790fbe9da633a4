import XCTest
import SlimKernels
@testable import SlimLab

final class IDXLoaderTests: XCTestCase {
    private func fixture(_ name: String) -> String { DatasetFixtures.path(name) }

    private func loadWithTinyLabels(_ images: String) throws -> Dataset {
        try IDXLoader.load(images: fixture(images), labels: fixture("tiny-labels-idx1-ubyte"))
    }

    func testReadsUnsignedByteImagesAndLabels() throws {
        let data = try IDXLoader.load(images: fixture("tiny-images-idx3-ubyte"), labels: fixture("tiny-labels-idx1-ubyte"))
        XCTAssertEqual(data.name, "tiny-images-idx3-ubyte")
        XCTAssertEqual(data.features.shape, [3, 6])
        XCTAssertEqual(data.features.scalars, (0..<18).map { Float($0 * 10) })
        XCTAssertEqual(data.labels, [2, 0, 1])
        XCTAssertEqual(data.classNames, ["0", "1", "2"])
        XCTAssertEqual(data.sampleShape, [1, 2, 3])
        XCTAssertEqual(data.featureNames.prefix(4), ["pixel_0_0", "pixel_0_1", "pixel_0_2", "pixel_1_0"])
    }

    func testReadsFloatAndShortElementsBigEndian() throws {
        let floats = try IDXLoader.load(images: fixture("floats-images-idx2-float"), labels: fixture("floats-labels-idx1-ubyte"))
        XCTAssertEqual(floats.sampleShape, [6])
        XCTAssertEqual(floats.features.scalars, (-9..<9).map { Float($0) / 4 })
        XCTAssertEqual(floats.classNames, ["0", "1"])
        let shorts = try IDXLoader.load(images: fixture("shorts-images-idx2-short"), labels: fixture("shorts-labels-idx1-int"),
                                        classNames: ["no", "yes"])
        XCTAssertEqual(shorts.features.scalars, [-300, 0, 1, 2, 300, -1])
        XCTAssertEqual(shorts.labels, [1, 1, 0])
        XCTAssertEqual(shorts.classNames, ["no", "yes"])
    }

    func testFindsTheLabelsFileByMNISTNaming() throws {
        XCTAssertEqual(try IDXLoader.labelsPath(forImages: fixture("tiny-images-idx3-ubyte")), fixture("tiny-labels-idx1-ubyte"))
        let lonely = fixture("nan-images")
        assertDatasetError(try IDXLoader.labelsPath(forImages: lonely),
                           .labelsFileNotFound(images: lonely, tried: [fixture("nan-labels")]),
                           mentions: ["labels=PATH"])
        XCTAssertTrue(IDXLoader.looksLikeIDX([0, 0, 8, 3, 0]))
        XCTAssertFalse(IDXLoader.looksLikeIDX(Array("a,b\n".utf8)))
    }

    func testMagicAndTypeErrors() {
        let bad = fixture("bad-magic-images")
        assertDatasetError(try loadWithTinyLabels("bad-magic-images"), .badMagic(path: bad, bytes: [1, 2, 8, 3]),
                           mentions: ["starts with bytes 01 02 08 03"])
        let unknown = fixture("unknown-type-images")
        assertDatasetError(try loadWithTinyLabels("unknown-type-images"), .unknownElementType(path: unknown, code: 0x0A),
                           mentions: ["type 0x0A"])
    }

    func testTruncatedTrailingAndAbsurdSizes() {
        let truncated = fixture("truncated-images")
        assertDatasetError(try loadWithTinyLabels("truncated-images"),
                           .truncated(path: truncated, expectedBytes: 34, actualBytes: 26,
                                      detail: "the header's 3×2×3 unsigned byte elements after a 16-byte header"),
                           mentions: ["is truncated", "need 34 bytes, the file has 26"])
        let shortHeader = fixture("truncated-header-images")
        assertDatasetError(try loadWithTinyLabels("truncated-header-images"),
                           .truncated(path: shortHeader, expectedBytes: 16, actualBytes: 10, detail: "the header's 3 dimensions"))
        let trailing = fixture("trailing-images")
        assertDatasetError(try loadWithTinyLabels("trailing-images"),
                           .trailingBytes(path: trailing, expectedBytes: 34, actualBytes: 36), mentions: ["2 unexpected bytes"])
        let absurd = fixture("absurd-images")
        assertDatasetError(try loadWithTinyLabels("absurd-images"),
                           .absurdSize(path: absurd, detail: "the header's dimensions 65535×65535×65535 make more than 2147483648 elements"))
    }

    func testDimensionAndCountMismatches() {
        let zero = fixture("zero-images")
        assertDatasetError(try loadWithTinyLabels("zero-images"),
                           .dimensionMismatch(path: zero, expected: "every dimension must be at least 1", found: [0, 2, 3]))
        let flat = fixture("flat-images")
        assertDatasetError(try loadWithTinyLabels("flat-images"),
                           .dimensionMismatch(path: flat, expected: "an images file has 2 to 4 dimensions (samples × features, samples × height × width, or samples × channels × height × width)", found: [18]),
                           mentions: ["dimensions 18"])
        let images = fixture("tiny-images-idx3-ubyte")
        let twoDim = fixture("two-dim-labels")
        assertDatasetError(try IDXLoader.load(images: images, labels: twoDim),
                           .dimensionMismatch(path: twoDim, expected: "a labels file has 1 dimension (one label per sample)", found: [3, 1]))
        let four = fixture("four-labels")
        assertDatasetError(try IDXLoader.load(images: images, labels: four),
                           .countMismatch(images: images, imageCount: 3, labels: four, labelCount: 4),
                           mentions: ["holds 3 samples", "holds 4 labels"])
    }

    func testLabelErrors() {
        let images = fixture("tiny-images-idx3-ubyte")
        let floats = fixture("float-labels")
        assertDatasetError(try IDXLoader.load(images: images, labels: floats), .labelsNotIntegers(path: floats, elementType: "float32"))
        let huge = fixture("huge-labels")
        assertDatasetError(try IDXLoader.load(images: images, labels: huge),
                           .badLabel(path: huge, location: "sample 1", text: "5000",
                                     reason: "is larger than 999, the largest class number SlimLab accepts; is the label column the right one?"))
        let negative = fixture("negative-labels")
        assertDatasetError(try IDXLoader.load(images: images, labels: negative),
                           .labelOutOfRange(path: negative, location: "sample 1", label: -1, classCount: 1000))
        let labels = fixture("tiny-labels-idx1-ubyte")
        assertDatasetError(try IDXLoader.load(images: images, labels: labels, classNames: ["a", "b"]),
                           .labelOutOfRange(path: labels, location: "sample 0", label: 2, classCount: 2),
                           mentions: ["sample 0: label 2 is out of range; labels must be 0…1 for 2 classes"])
    }

    /// int32 labels are read as integers: 2147483647 (no Float of its own) is named as it is
    /// written, never as 2147483648; the largest and smallest int32 both reach the range check.
    func testInt32LabelsAreReadExactly() throws {
        let images: [UInt8] = [0, 0, 0x08, 2, 0, 0, 0, 3, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6]
        func labels(_ values: [Int32]) -> [UInt8] {
            [0, 0, 0x0C, 1, 0, 0, 0, UInt8(values.count)] + values.flatMap { value -> [UInt8] in
                let bits = UInt32(bitPattern: value)
                return [UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
            }
        }
        func parse(_ values: [Int32]) throws -> Dataset {
            try IDXLoader.parse(images: images, imagesPath: "i", labels: labels(values), labelsPath: "l")
        }
        assertDatasetError(try parse([0, 2147483647, 1]),
                           .badLabel(path: "l", location: "sample 1", text: "2147483647",
                                     reason: "is larger than 999, the largest class number SlimLab accepts; is the label column the right one?"),
                           mentions: ["2147483647"])
        assertDatasetError(try parse([1, 0, -2147483648]),
                           .labelOutOfRange(path: "l", location: "sample 2", label: -2147483648, classCount: 1000))
        XCTAssertEqual(try parse([2, 0, 1]).labels, [2, 0, 1])
    }

    func testNonFiniteElements() {
        let nan = fixture("nan-images")
        assertDatasetError(try IDXLoader.load(images: nan, labels: fixture("floats-labels-idx1-ubyte")),
                           .nonFiniteElement(path: nan, sample: 1, feature: 1))
    }
}
