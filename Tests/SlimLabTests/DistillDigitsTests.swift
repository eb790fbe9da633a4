import XCTest
import SlimKernels
@testable import SlimLab
import SlimTestSupport

/// The done-when on digits: with labels for 5 % of the training set and the teacher's
/// soft targets on all of it, the distilled 64-16-10 student beats the same student trained
/// from scratch on those labels (same initial weights, optimizer, seed and number of updates),
/// averaged over seeds 0, 1, 2. With every label, distillation does not help by itself (a NumPy
/// run of the same setup found the distilled and hard-label students within ±0.2 points at 300
/// epochs): the two stay within a point or two.
final class DistillDigitsTests: XCTestCase {
    private static let pool = ComputePool(threads: 2)

    private static let teacher: (model: Model, split: DatasetSplit)? = {
        guard let split = try? TrainedDigits.split(),
              let model = try? TrainedDigits.variant("mlp 64-128-10", epochs: TrainingOptions().epochs).model
        else { return nil }
        return (model, split)
    }()

    private func distill(labeled: LabeledBudget) throws -> DistillationReport {
        let (teacher, split) = try XCTUnwrap(Self.teacher, "digits could not be loaded and the teacher trained")
        var options = DistillationOptions()
        options.labeled = labeled
        options.seeds = [0, 1, 2]
        let architecture = try ModelArchitecture.mlp("64-16-10")
        return try Distillation.run(
            teacher: teacher, teacherName: "teacher", student: .architecture("mlp 64-16-10"),
            makeStudent: { seed in
                var generator = SeededGenerator(seed: seed)
                return try architecture.makeModel(generator: &generator)
            },
            data: split, options: options, pool: Self.pool).report
    }

    func testWithFewLabelsTheDistilledStudentBeatsTheOneFromScratch() throws {
        let report = try distill(labeled: .fraction(0.05))
        let distilled = try XCTUnwrap(report.meanDistilledAccuracy), scratch = try XCTUnwrap(report.meanScratchAccuracy)
        XCTAssertEqual(report.labeledCount, 67)
        XCTAssertEqual(report.seeds.map { $0.scratch!.updates }, report.seeds.map { $0.distillation.steps })
        XCTAssertGreaterThan(try XCTUnwrap(report.teacherTestAccuracy), 0.96)
        XCTAssertGreaterThan(distilled, 0.94)
        XCTAssertGreaterThan(distilled, scratch + 0.05)
        XCTAssertTrue(report.seeds.allSatisfy { ($0.gainPoints ?? 0) > 0 }, "every seed gains")
    }

    func testWithAllLabelsDistillationDoesNotHelpByItself() throws {
        let report = try distill(labeled: .all)
        let gain = try XCTUnwrap(report.meanGainPoints)
        XCTAssertLessThan(abs(gain), 2)
        XCTAssertGreaterThan(try XCTUnwrap(report.meanScratchAccuracy), 0.94)
    }
}
