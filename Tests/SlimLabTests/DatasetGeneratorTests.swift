import XCTest
import SlimKernels
@testable import SlimLab

final class DatasetGeneratorTests: XCTestCase {
    private func classCounts(_ data: Dataset) -> [Int] {
        var counts = [Int](repeating: 0, count: data.classCount)
        for label in data.labels { counts[label] += 1 }
        return counts
    }

    private func points(_ data: Dataset) -> [(x: Float, y: Float, label: Int)] {
        (0..<data.count).map { (data.features[$0, 0], data.features[$0, 1], data.labels[$0]) }
    }

    func testShapesDefaultsAndBalance() throws {
        for generator in DatasetGenerator.allCases {
            let data = try generator.generate(seed: 3)
            XCTAssertEqual(data.name, generator.rawValue)
            XCTAssertEqual(data.features.shape, [600, 2])
            XCTAssertEqual(data.sampleShape, [2])
            XCTAssertEqual(data.featureNames, ["x", "y"])
            XCTAssertEqual(data.classCount, generator == .spirals || generator == .blobs ? 3 : 2)
            XCTAssertEqual(Set(classCounts(data)), [600 / data.classCount], "\(generator) is not balanced")
            XCTAssertTrue(data.features.scalars.allSatisfy(\.isFinite))
        }
        let odd = try DatasetGenerator.spirals.generate(count: 101, classes: 4)
        XCTAssertEqual(classCounts(odd), [26, 25, 25, 25])
        let moons = try DatasetGenerator.moons.generate(count: 7)
        XCTAssertEqual(classCounts(moons), [3, 4])
    }

    func testTheSeedDeterminesEverything() throws {
        for generator in DatasetGenerator.allCases {
            let a = try generator.generate(count: 200, noise: 0.3, seed: 7)
            let b = try generator.generate(count: 200, noise: 0.3, seed: 7)
            let c = try generator.generate(count: 200, noise: 0.3, seed: 8)
            XCTAssertEqual(a.features, b.features)
            XCTAssertEqual(a.labels, b.labels)
            XCTAssertNotEqual(a.features, c.features)
        }
    }

    func testPinnedSamplesSoLessonsStayStable() throws {
        // Lessons print these datasets; a change here changes every transcript that uses them.
        let spirals = try DatasetGenerator.spirals.generate(count: 600, noise: 0.2, seed: 1)
        let first = points(spirals).prefix(2).map { "\($0.x) \($0.y) \($0.label)" }
        XCTAssertEqual(first, Self.pinnedSpirals)
    }
    static let pinnedSpirals = ["0.13181134 0.5316422 2", "0.08103355 0.11502627 0"]

    func testWithoutNoiseTheShapesAreExact() throws {
        let spirals = try DatasetGenerator.spirals.generate(count: 300, noise: 0, seed: 1)
        for p in points(spirals) {
            // Radius t and angle 2π·label/3 + 4t, so the point lies on its own arm.
            let r = Double((p.x * p.x + p.y * p.y).squareRoot())
            let angle = 2 * Double.pi * Double(p.label) / 3 + 4 * r
            XCTAssertEqual(Double(p.x), r * sin(angle), accuracy: 1e-5)
            XCTAssertEqual(Double(p.y), r * cos(angle), accuracy: 1e-5)
        }
        let moons = try DatasetGenerator.moons.generate(count: 200, noise: 0, seed: 1)
        for p in points(moons) {
            let (cx, cy): (Float, Float) = p.label == 0 ? (0, 0) : (1, 0.5)
            let radius = ((p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy)).squareRoot()
            XCTAssertEqual(radius, 1, accuracy: 1e-5)
            XCTAssertTrue(p.label == 0 ? p.y >= -1e-6 : p.y <= 0.5 + 1e-6)
        }
        let blobs = try DatasetGenerator.blobs.generate(count: 40, noise: 0, classes: 4, seed: 1)
        for p in points(blobs) {
            let angle = 2 * Float.pi * Float(p.label) / 4
            XCTAssertEqual(p.x, 3 * cos(angle), accuracy: 1e-5)
            XCTAssertEqual(p.y, 3 * sin(angle), accuracy: 1e-5)
        }
        let xor = try DatasetGenerator.xor.generate(count: 400, noise: 0, seed: 1)
        for p in points(xor) {
            XCTAssertTrue(abs(p.x) <= 1 && abs(p.y) <= 1)
            XCTAssertEqual(p.label, (p.x < 0) != (p.y < 0) ? 1 : 0)
        }
    }

    func testNoiseSpreadsBlobsByItsStandardDeviation() throws {
        let blobs = try DatasetGenerator.blobs.generate(count: 20000, noise: 0.5, classes: 2, seed: 2)
        var squares = 0.0
        for p in points(blobs) {
            let cx: Float = p.label == 0 ? 3 : -3
            squares += Double((p.x - cx) * (p.x - cx) + p.y * p.y)
        }
        XCTAssertEqual((squares / Double(2 * blobs.count)).squareRoot(), 0.5, accuracy: 0.01)
    }

    func testBadParameters() {
        assertDatasetError(try DatasetGenerator.moons.generate(classes: 3),
                           .badParameter(name: "classes", value: "3", allowed: "moons has exactly 2 classes"),
                           mentions: ["classes=3 is not allowed"])
        assertDatasetError(try DatasetGenerator.spirals.generate(classes: 11),
                           .badParameter(name: "classes", value: "11", allowed: "spirals takes 2 to 10 classes"))
        assertDatasetError(try DatasetGenerator.blobs.generate(count: 5),
                           .badParameter(name: "n", value: "5", allowed: "blobs needs 6 to 1000000 samples"))
        assertDatasetError(try DatasetGenerator.xor.generate(noise: -1),
                           .badParameter(name: "noise", value: "-1.0", allowed: "noise must be from 0 to 10"))
        assertDatasetError(try DatasetGenerator.xor.generate(noise: .nan),
                           .badParameter(name: "noise", value: "nan", allowed: "noise must be from 0 to 10"))
    }
}
