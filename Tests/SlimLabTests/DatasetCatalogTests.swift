import XCTest
import SlimKernels
@testable import SlimLab

final class DatasetCatalogTests: XCTestCase {
    private let root = DatasetFixtures.packageRoot

    func testDigitsLoadsAsShipped() throws {
        let digits = try DatasetCatalog.standard().load("digits")
        XCTAssertEqual(digits.name, "digits")
        XCTAssertEqual(digits.features.shape, [1797, 64])
        XCTAssertEqual(digits.sampleShape, [1, 8, 8])
        XCTAssertEqual(digits.classNames, (0...9).map(String.init))
        XCTAssertEqual(digits.featureNames.first, "pixel_0_0")
        XCTAssertEqual(digits.featureNames.last, "pixel_7_7")
        var counts = [Int](repeating: 0, count: 10)
        for label in digits.labels { counts[label] += 1 }
        XCTAssertEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        // The first line of the file: a zero.
        XCTAssertEqual(Array(digits.features.scalars[0..<16]), [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0])
        XCTAssertEqual(digits.labels.prefix(3), [0, 1, 2])
        XCTAssertEqual(digits.features.scalars.min(), 0)
        XCTAssertEqual(digits.features.scalars.max(), 16)
    }

    func testIrisLoadsAsShipped() throws {
        let iris = try DatasetCatalog.standard().load("iris")
        XCTAssertEqual(iris.features.shape, [150, 4])
        XCTAssertEqual(iris.sampleShape, [4])
        XCTAssertEqual(iris.featureNames, ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        XCTAssertEqual(iris.classNames, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(iris.labels.filter { $0 == 1 }.count, 50)
        XCTAssertEqual(Array(iris.features.scalars[0..<4]), [5.1, 3.5, 1.4, 0.2])
        XCTAssertEqual(iris.labels.last, 2)
    }

    func testSearchOrderEnvironmentThenExecutableThenCurrentDirectory() throws {
        let catalog = DatasetCatalog.standard(environment: ["SLIMLAB_DATASETS": "/data/here"],
                                              executablePath: "/opt/lab/.build/release/slimlab",
                                              currentDirectory: "/home/me")
        XCTAssertEqual(Array(catalog.searchFolders.prefix(5)), [
            "/data/here",
            "/opt/lab/.build/release/Datasets", "/opt/lab/.build/release/share/slimlab/Datasets",
            "/opt/lab/.build/Datasets", "/opt/lab/.build/share/slimlab/Datasets",
        ])
        XCTAssertTrue(catalog.searchFolders.contains("/opt/lab/Datasets"))
        XCTAssertTrue(catalog.searchFolders.contains("/Datasets"))
        XCTAssertEqual(catalog.searchFolders.suffix(2), ["/home/me/Datasets", DatasetCatalog.sourceCheckoutDatasets])
        XCTAssertEqual(DatasetCatalog.sourceCheckoutDatasets, root + "/Datasets")
    }

    func testAnExecutableInsideTheCheckoutFindsTheShippedFolder() throws {
        let catalog = DatasetCatalog.standard(environment: [:], executablePath: root + "/.build/release/slimlab",
                                              currentDirectory: "/")
        // Found by walking up from the executable: release, .build, then the checkout's root.
        XCTAssertEqual(catalog.searchFolders[4], root + "/Datasets")
        XCTAssertEqual(try catalog.path(of: .iris), root + "/Datasets/iris.csv")
        let fromEnvironment = DatasetCatalog.standard(environment: ["SLIMLAB_DATASETS": root + "/Datasets"],
                                                      executablePath: nil, currentDirectory: "/")
        XCTAssertEqual(try fromEnvironment.path(of: .digits), root + "/Datasets/digits.csv")
    }

    func testAClearErrorListsEveryFolderSearched() {
        let catalog = DatasetCatalog(searchFolders: ["/nowhere/a", "/nowhere/b", "/nowhere/a"])
        XCTAssertEqual(catalog.searchFolders, ["/nowhere/a", "/nowhere/b"])
        assertDatasetError(try catalog.load("digits"),
                           .shippedDataNotFound(file: "digits.csv", searched: ["/nowhere/a", "/nowhere/b"]),
                           mentions: ["looked in: /nowhere/a, /nowhere/b", "SLIMLAB_DATASETS"])
    }

    func testGeneratorsByName() throws {
        let catalog = DatasetCatalog(searchFolders: [])
        let spirals = try catalog.load("spirals", options: DatasetLoadOptions(count: 90, noise: 0.1, classes: 5, seed: 4))
        XCTAssertEqual(spirals.features.shape, [90, 2])
        XCTAssertEqual(spirals.classCount, 5)
        XCTAssertEqual(spirals.features, try DatasetGenerator.spirals.generate(count: 90, noise: 0.1, classes: 5, seed: 4).features)
        XCTAssertEqual(DatasetCatalog.knownNames, ["digits", "iris", "fashion-mnist", "spirals", "moons", "blobs", "xor"])
    }

    func testFilesByPathCSVAndIDX() throws {
        let catalog = DatasetCatalog(searchFolders: [])
        let csv = try catalog.load(DatasetFixtures.path("good.csv"), options: DatasetLoadOptions(labelColumn: "kind"))
        XCTAssertEqual(csv.classNames, ["cat", "dog"])
        let idx = try catalog.load(DatasetFixtures.path("tiny-images-idx3-ubyte"))
        XCTAssertEqual(idx.labels, [2, 0, 1])
        XCTAssertEqual(idx.sampleShape, [1, 2, 3])
        let explicit = try catalog.load(DatasetFixtures.path("floats-images-idx2-float"),
                                        options: DatasetLoadOptions(labelsPath: DatasetFixtures.path("floats-labels-idx1-ubyte")))
        XCTAssertEqual(explicit.count, 3)
        let gz = try catalog.load(DatasetFixtures.path("gzipped-images"),
                                  options: DatasetLoadOptions(labelsPath: DatasetFixtures.path("tiny-labels-idx1-ubyte")))
        XCTAssertEqual(gz.features.scalars, idx.features.scalars)
    }

    func testUnknownNamesAndMissingPaths() {
        let catalog = DatasetCatalog(searchFolders: [])
        assertDatasetError(try catalog.load("digts"),
                           .unknownDataset(name: "digts", shipped: ["digits", "iris", "fashion-mnist"], generators: ["spirals", "moons", "blobs", "xor"]),
                           mentions: ["unknown dataset 'digts'", "digits, iris, fashion-mnist", "spirals, moons, blobs, xor"])
        assertDatasetError(try catalog.load("./missing.csv"), .fileNotFound(path: "./missing.csv"))
    }
}
