import XCTest
import SlimKernels
@testable import SlimLab

/// gzip'd IDX files, Fashion-MNIST's folder (a small stand-in), and validation splits.
final class GzipDatasetTests: XCTestCase {
    private func fixture(_ name: String) -> String { DatasetFixtures.path(name) }

    func testGzipUnpacksToTheSameBytesAsTheFile() throws {
        let plain = try readFileBytes(atPath: fixture("tiny-images-idx3-ubyte"))
        let packed = try readFileBytes(atPath: fixture("tiny-images-idx3-ubyte.gz"))
        XCTAssertTrue(Gzip.isCompressed(packed))
        XCTAssertFalse(Gzip.isCompressed(plain))
        XCTAssertEqual(try Gzip.decompress(packed, path: "t"), plain)
        // Two members unpack to their concatenation, as gunzip does.
        XCTAssertEqual(try Gzip.decompress(readFileBytes(atPath: fixture("two-members-images")), path: "t"), plain)
        // The output limit holds.
        assertDatasetError(try Gzip.decompress(packed, path: "t", limit: 20),
                           .absurdSize(path: "t", detail: "gzip data that unpacks to more than 20 bytes"))
    }

    func testGzipdIDXPairLoadsByPathWithItsLabelsFoundByName() throws {
        let catalog = DatasetCatalog(searchFolders: [])
        let data = try catalog.load(fixture("tiny-images-idx3-ubyte.gz"))
        XCTAssertEqual(data.name, "tiny-images-idx3-ubyte")
        XCTAssertEqual(data.labels, [2, 0, 1])
        XCTAssertEqual(data.features.scalars, (0..<18).map { Float($0 * 10) })
    }

    func testDamagedGzipGivesAnErrorNamingTheFile() {
        let truncated = fixture("truncated-gzip-images")
        assertDatasetError(try IDXLoader.load(images: truncated, labels: fixture("tiny-labels-idx1-ubyte")),
                           .corruptGzip(path: truncated, reason: "the data ends before the gzip stream does (truncated after 36 bytes)"),
                           mentions: ["gzip -t"])
        let corrupt = fixture("corrupt-gzip-images")
        XCTAssertThrowsError(try IDXLoader.load(images: corrupt, labels: fixture("tiny-labels-idx1-ubyte"))) { error in
            guard case .corruptGzip(let path, _)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, corrupt)
        }
    }

    func testIDXIsRecognisedBeforeCSVEvenWithABadTypeCode() {
        // 00 00 0A …: no text file starts with two zero bytes, so this is an IDX error, not CSV.
        XCTAssertTrue(IDXLoader.looksLikeIDX([0, 0, 0x0A, 3]))
        XCTAssertTrue(IDXLoader.looksLikeIDX([0, 0, 8, 9]))
        let unknown = fixture("unknown-type-images")
        let catalog = DatasetCatalog(searchFolders: [])
        assertDatasetError(try catalog.load(unknown, options: DatasetLoadOptions(labelsPath: fixture("tiny-labels-idx1-ubyte"))),
                           .unknownElementType(path: unknown, code: 0x0A), mentions: ["08 (unsigned byte)"])
    }

    func testFashionMNISTKeepsItsOfficialTestSetAndClassNames() throws {
        let catalog = DatasetCatalog(searchFolders: [], installedRoot: DatasetFixtures.folder + "/datasets")
        let split = try catalog.loadSplit("fashion-mnist", testFraction: 0.5)
        XCTAssertEqual(split.train.count, 40)
        XCTAssertEqual(split.test.count, 20)
        XCTAssertNil(split.testFraction)
        XCTAssertNil(split.validation)
        XCTAssertEqual(split.train.name, "fashion-mnist")
        XCTAssertEqual(split.test.name, "fashion-mnist-test")
        XCTAssertEqual(split.train.sampleShape, [1, 4, 4])
        XCTAssertEqual(split.train.classNames.first, "T-shirt/top")
        XCTAssertEqual(split.train.classNames.last, "Ankle boot")
        // The raw test pixels are the file's, in its order.
        XCTAssertEqual(split.rawTestFeatures[flat: 17], Float((7 * 17 + 3 * (17 / 16)) % 256))
        XCTAssertEqual(split.test.labels, (0..<20).map { $0 % 10 })
    }

    func testValidationIsStratifiedHeldOutOfTrainingAndNormalizedWithItsStatistics() throws {
        let catalog = DatasetCatalog(searchFolders: [], installedRoot: DatasetFixtures.folder + "/datasets")
        let split = try catalog.loadSplit("fashion-mnist", validationFraction: 0.25)
        let validation = try XCTUnwrap(split.validation)
        XCTAssertEqual(validation.count, 10)
        XCTAssertEqual(split.train.count, 30)
        XCTAssertEqual(split.validationFraction, 0.25)
        XCTAssertEqual(validation.classCounts, [Int](repeating: 1, count: 10))
        XCTAssertEqual(split.train.classCounts, [Int](repeating: 3, count: 10))
        // Normalization fitted on the 30 training samples only: their mean is 0 per pixel.
        let mean = (0..<30).map { split.train.features[flat: $0 * 16 + 5] }.reduce(0, +) / 30
        XCTAssertEqual(mean, 0, accuracy: 1e-5)
        // The same seed gives the same parts; the test split of other sets is unchanged by val=.
        let again = try catalog.loadSplit("fashion-mnist", validationFraction: 0.25)
        XCTAssertEqual(again.validation?.features.scalars, validation.features.scalars)
        let digits = try DatasetCatalog.standard().load("digits")
        let plain = try digits.split(testFraction: 0.25, seed: 3)
        let withValidation = try digits.split(testFraction: 0.25, seed: 3, validationFraction: 0.1)
        XCTAssertEqual(plain.test.labels, withValidation.test.labels)
        XCTAssertEqual(withValidation.validation?.count, 135)
        XCTAssertEqual(withValidation.train.count, 1347 - 135)
        assertDatasetError(try digits.split(validationFraction: 1.5),
                           .badParameter(name: "val", value: "1.5", allowed: "the validation fraction must be between 0 and 1 (exclusive), like 0.25"))
    }

    func testAStratifiedSubsetOfTheTrainingSet() throws {
        let catalog = DatasetCatalog(searchFolders: [], installedRoot: DatasetFixtures.folder + "/datasets")
        let split = try catalog.loadSplit("fashion-mnist", options: DatasetLoadOptions(count: 20))
        XCTAssertEqual(split.train.count, 20)
        XCTAssertEqual(split.train.classCounts, [Int](repeating: 2, count: 10))
        XCTAssertEqual(split.test.count, 20)
    }

    func testAMissingPackageNamesTheInstallCommand() {
        let catalog = DatasetCatalog(searchFolders: [], installedRoot: "/nonexistent")
        assertDatasetError(try catalog.loadSplit("fashion-mnist"),
                           .notInstalled(name: "fashion-mnist", missing: "/nonexistent/fashion-mnist/train-images-idx3-ubyte.gz",
                                         install: "sudo apt-get install dataset-fashion-mnist"),
                           mentions: ["sudo apt-get install dataset-fashion-mnist"])
    }

    /// The real set, when installed (make test installs it).
    func testTheRealFashionMNIST() throws {
        let catalog = DatasetCatalog.standard()
        guard fileExists(atPath: catalog.installedRoot + "/fashion-mnist/t10k-labels-idx1-ubyte.gz") else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let (train, test) = try catalog.loadInstalled(.fashionMNIST)
        XCTAssertEqual(train.count, 60_000)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual(train.sampleShape, [1, 28, 28])
        XCTAssertEqual(train.classCounts, [Int](repeating: 6000, count: 10))
        XCTAssertEqual(test.classCounts, [Int](repeating: 1000, count: 10))
        XCTAssertEqual(Array(test.labels.prefix(5)), [9, 2, 1, 1, 6])   // ankle boot, pullover, trouser, trouser, shirt
    }
}
