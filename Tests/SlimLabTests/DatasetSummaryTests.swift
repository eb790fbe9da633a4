import XCTest
import SlimKernels
@testable import SlimLab

final class DatasetSummaryTests: XCTestCase {
    func testIrisSummary() throws {
        let split = try DatasetCatalog.standard().load("iris").split(testFraction: 0.2, seed: 0)
        let summary = split.summary
        XCTAssertEqual(summary.name, "iris")
        XCTAssertEqual(summary.trainCount, 120)
        XCTAssertEqual(summary.testCount, 30)
        XCTAssertEqual(summary.count, 150)
        XCTAssertEqual(summary.classes.map(\.name), ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(summary.classes.map(\.train), [40, 40, 40])
        XCTAssertEqual(summary.classes.map(\.total), [50, 50, 50])
        XCTAssertEqual(summary.normalization, .standard)
        XCTAssertEqual(summary.testFraction, 0.2)
        XCTAssertEqual(summary.seed, 0)
        XCTAssertEqual(summary.valueRange, 0.1...7.9)
        let sepal = summary.features[0]
        XCTAssertEqual(sepal.name, "sepal_length")
        XCTAssertEqual(sepal.min, 4.3)
        XCTAssertEqual(sepal.max, 7.9)
        XCTAssertEqual(sepal.mean, 5.8433, accuracy: 1e-4)       // Fisher's table: 5.84
        XCTAssertLessThan(sepal.normalizedMin, -1.5)
        XCTAssertGreaterThan(sepal.normalizedMax, 2)
        XCTAssertEqual(summary.constantFeatures, [])
    }

    func testDigitsSummaryNamesConstantPixels() throws {
        let summary = try DatasetCatalog.standard().load("digits").split().summary
        XCTAssertEqual(summary.sampleShape, [1, 8, 8])
        XCTAssertEqual(summary.valueRange, 0...16)
        XCTAssertTrue(summary.constantFeatures.contains("pixel_0_0"))
        let corner = summary.features[0]
        XCTAssertEqual([corner.min, corner.max, corner.normalizedMin, corner.normalizedMax], [0, 0, 0, 0])
    }

    func testShowingADigit() throws {
        let digits = try DatasetCatalog.standard().load("digits")
        let split = try digits.split()
        let sample = try split.sample(3)
        XCTAssertEqual(sample.part, .test)
        XCTAssertEqual(sample.label, split.test.labels[3])
        XCTAssertEqual(sample.className, String(split.test.labels[3]))
        XCTAssertEqual(sample.valueRange, 0...16)
        let rows = try XCTUnwrap(sample.pixelRows)
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual(rows.flatMap { $0 }, sample.values)
        XCTAssertTrue(sample.values.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= 16 })
        XCTAssertEqual(sample.normalizedValues, split.normalization.apply(to: sample.values))
        // The raw values are a row of the original file.
        let rowsOfFile = (0..<digits.count).map { digits.row($0) }
        XCTAssertTrue(rowsOfFile.contains(sample.values))
        let trainSample = try split.sample(0, in: .train)
        XCTAssertEqual(trainSample.values, Array(split.rawTrainFeatures.scalars[0..<64]))
    }

    func testShowingAnIrisAndOutOfRange() throws {
        let split = try DatasetCatalog.standard().load("iris").split()
        let sample = try split.sample(0, in: .train)
        XCTAssertNil(sample.pixelRows)
        XCTAssertEqual(sample.featureNames.count, 4)
        assertDatasetError(try split.sample(38), .sampleOutOfRange(index: 38, part: "test", count: 38),
                           mentions: ["samples 0…37"])
        assertDatasetError(try split.sample(-1, in: .train), .sampleOutOfRange(index: -1, part: "train", count: 112))
    }
}
