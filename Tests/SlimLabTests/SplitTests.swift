import XCTest
import SlimKernels
@testable import SlimLab

final class SplitTests: XCTestCase {
    /// A dataset whose feature 0 is the sample's index, feature 1 a constant, feature 2 a
    /// function of the label, with classes of sizes `sizes`.
    private func indexed(_ sizes: [Int]) -> Dataset {
        var labels: [Int] = []
        for (label, size) in sizes.enumerated() { labels += Array(repeating: label, count: size) }
        var values: [Float] = []
        for (i, label) in labels.enumerated() { values += [Float(i), 7, Float(label * 10 + i % 3)] }
        return Dataset(name: "indexed", features: Tensor(shape: [labels.count, 3], scalars: values), labels: labels,
                       sampleShape: [3], featureNames: ["index", "constant", "mixed"],
                       classNames: sizes.indices.map { "c\($0)" })
    }

    private func indices(_ features: Tensor<Float>) -> [Int] {
        (0..<features.shape[0]).map { Int(features[$0, 0]) }
    }

    func testDigitsSplitsLikeScikitLearn() throws {
        let digits = try DatasetCatalog.standard().load("digits")
        let split = try digits.split()
        XCTAssertEqual(split.train.count, 1347)
        XCTAssertEqual(split.test.count, 450)
        // The same per-class counts as scikit-learn's train_test_split(stratify=y, test_size=0.25).
        XCTAssertEqual(split.test.classCounts, [45, 46, 44, 46, 45, 46, 45, 45, 43, 45])
        for (whole, test) in zip(digits.classCounts, split.test.classCounts) {
            XCTAssertEqual(Double(test), Double(whole) * 0.25, accuracy: 1)
        }
        XCTAssertEqual(split.train.sampleShape, [1, 8, 8])
        XCTAssertEqual(split.normalization.method, .standard)
    }

    func testEverySampleLandsInExactlyOnePart() throws {
        let data = indexed([40, 25, 7, 1])
        let split = try data.split(testFraction: 0.3, seed: 5, normalization: .none)
        let train = indices(split.train.features), test = indices(split.test.features)
        XCTAssertEqual((train + test).sorted(), Array(0..<73))
        XCTAssertEqual(test.count, 22)                    // ⌈0.3 · 73⌉
        XCTAssertEqual(split.test.classCounts, [12, 8, 2, 0])
        for (position, index) in test.enumerated() { XCTAssertEqual(split.test.labels[position], data.labels[index]) }
        for (position, index) in train.enumerated() { XCTAssertEqual(split.train.labels[position], data.labels[index]) }
    }

    func testTheSeedDecidesTheSplit() throws {
        let data = indexed([30, 30])
        let a = try data.split(seed: 1, normalization: .none)
        let b = try data.split(seed: 1, normalization: .none)
        let c = try data.split(seed: 2, normalization: .none)
        XCTAssertEqual(a.test.features, b.test.features)
        XCTAssertEqual(a.train.labels, b.train.labels)
        XCTAssertNotEqual(indices(a.test.features), indices(c.test.features))
    }

    func testQuotasByLargestRemainder() {
        XCTAssertEqual(Dataset.testQuotas(classCounts: [50, 50, 50], testCount: 38), [13, 13, 12])
        XCTAssertEqual(Dataset.testQuotas(classCounts: [10, 1, 9], testCount: 5), [3, 0, 2])
        XCTAssertEqual(Dataset.testQuotas(classCounts: [3, 0, 3], testCount: 3), [2, 0, 1])
    }

    func testFractionsRoundSensibly() throws {
        let iris = try DatasetCatalog.standard().load("iris")
        XCTAssertEqual(try iris.split(testFraction: 0.1).test.count, 15)   // not 16 from 15.000000000000002
        XCTAssertEqual(try iris.split(testFraction: 0.2).test.classCounts, [10, 10, 10])
    }

    func testBadFractions() {
        let data = indexed([5, 5])
        for bad in [0.0, 1.0, -0.5, .nan, .infinity] {
            assertDatasetError(try data.split(testFraction: bad),
                               .badParameter(name: "test", value: "\(bad)",
                                             allowed: "the test fraction must be between 0 and 1 (exclusive), like 0.25"))
        }
        assertDatasetError(try data.split(testFraction: 0.96),
                           .badParameter(name: "test", value: "0.96",
                                         allowed: "with 10 samples it leaves no training samples; choose a fraction that keeps both parts non-empty"))
    }

    func testStandardNormalizationIsFittedOnTheTrainingPartOnly() throws {
        let data = indexed([20, 13])
        let split = try data.split(testFraction: 0.25, seed: 3, normalization: .standard)
        let n = split.train.count
        let rawIndex = indices(split.rawTrainFeatures).map(Double.init)
        let mean = rawIndex.reduce(0, +) / Double(n)
        let std = (rawIndex.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
        XCTAssertEqual(Double(split.normalization.shift[0]), mean, accuracy: 1e-5)
        XCTAssertEqual(Double(split.normalization.scale[0]), std, accuracy: 1e-5)
        // Constant feature: scale 1, maps to 0 everywhere.
        XCTAssertEqual(split.normalization.shift[1], 7)
        XCTAssertEqual(split.normalization.scale[1], 1)
        // Train columns have mean 0, variance 1 (except the constant one, all zeros).
        for j in [0, 2] {
            let column = (0..<n).map { Double(split.train.features[$0, j]) }
            let m = column.reduce(0, +) / Double(n)
            XCTAssertEqual(m, 0, accuracy: 1e-5)
            XCTAssertEqual(column.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n), 1, accuracy: 1e-4)
        }
        XCTAssertTrue((0..<n).allSatisfy { split.train.features[$0, 1] == 0 })
        // The test part uses the training statistics, exactly.
        for i in 0..<split.test.count {
            for j in 0..<3 {
                let expected = (split.rawTestFeatures[i, j] - split.normalization.shift[j]) / split.normalization.scale[j]
                XCTAssertEqual(split.test.features[i, j], expected)
            }
        }
        XCTAssertEqual(split.normalization.apply(to: split.rawTestFeatures), split.test.features)
        XCTAssertEqual(split.normalization.apply(to: Array(split.rawTestFeatures.scalars[0..<3])),
                       Array(split.test.features.scalars[0..<3]))
    }

    func testMinMaxAndNone() throws {
        let data = indexed([12, 12])
        let minmax = try data.split(seed: 4, normalization: .minmax)
        for j in [0, 2] {
            let column = (0..<minmax.train.count).map { minmax.train.features[$0, j] }
            XCTAssertEqual(column.min(), 0)
            XCTAssertEqual(column.max(), 1)
        }
        XCTAssertEqual(minmax.normalization.scale[1], 1)
        let none = try data.split(seed: 4, normalization: .none)
        XCTAssertEqual(none.normalization, .identity(featureCount: 3))
        XCTAssertEqual(none.train.features, none.rawTrainFeatures)
        XCTAssertEqual(indices(none.train.features), indices(minmax.rawTrainFeatures))
    }

    func testASplitBuiltFromNormalizedPartsRecoversTheRawValues() throws {
        let split = try indexed([10, 10]).split(seed: 1)
        let rebuilt = DatasetSplit(train: split.train, test: split.test, normalization: split.normalization)
        for (a, b) in zip(rebuilt.rawTrainFeatures.scalars, split.rawTrainFeatures.scalars) {
            XCTAssertEqual(a, b, accuracy: 1e-5)
        }
    }
}
