import XCTest
import SlimKernels
@testable import SlimLab

/// The distillation loss: value and gradient against an independent Double implementation and
/// against finite differences, its reductions, and the T² scaling of the soft gradient.
final class DistillLossTests: XCTestCase {
    /// Random logits [rows, classes] with entries in ±scale.
    private func logits(_ rows: Int, _ classes: Int, scale: Float, seed: UInt64) -> Tensor<Float> {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, classes], scalars: (0..<(rows * classes)).map { _ in generator.uniform(-scale, scale) })
    }

    private func rows(_ t: Tensor<Float>) -> [[Double]] {
        (0..<t.shape[0]).map { i in (0..<t.shape[1]).map { Double(t[i, $0]) } }
    }

    func testLossAndGradientMatchTheDoubleReference() {
        let student = logits(7, 10, scale: 3, seed: 1), teacher = logits(7, 10, scale: 6, seed: 2)
        let labels: [Int?] = [3, nil, 0, 9, nil, 5, 5]
        for loss in [DistillationLoss(temperature: 4, alpha: 0.7),
                     DistillationLoss(temperature: 2, alpha: 0.3, scalesByTemperatureSquared: false),
                     DistillationLoss(temperature: 1, alpha: 1)] {
            let result = loss.evaluate(studentLogits: student, teacherProbabilities: teacher.softmax(temperature: loss.temperature),
                                       labels: labels)
            let reference = loss.reference(studentLogits: rows(student), teacherLogits: rows(teacher), labels: labels)
            XCTAssertEqual(result.loss, reference.loss, accuracy: 1e-5 * max(1, abs(reference.loss)), "\(loss)")
            XCTAssertEqual(result.terms.soft, reference.soft, accuracy: 1e-5)
            XCTAssertEqual(result.terms.hard, reference.hard, accuracy: 1e-5)
            XCTAssertEqual(result.terms.labeledCount, 5)
            for i in 0..<7 {
                for j in 0..<10 {
                    XCTAssertEqual(Double(result.logitGradient[i, j]), reference.gradient[i][j], accuracy: 1e-6,
                                   "\(loss) ∂L/∂z[\(i), \(j)]")
                }
            }
        }
    }

    func testGradientMatchesFiniteDifferences() {
        let student = logits(5, 6, scale: 2, seed: 3), teacher = logits(5, 6, scale: 5, seed: 4)
        let labels: [Int?] = [1, 4, nil, 0, 2]
        let loss = DistillationLoss(temperature: 3, alpha: 0.6)
        let targets = teacher.softmax(temperature: loss.temperature)
        let analytic = loss.evaluate(studentLogits: student, teacherProbabilities: targets, labels: labels).logitGradient
        let epsilon: Float = 1e-2
        var worst: Double = 0
        for i in 0..<student.count {
            var plus = student, minus = student
            plus[flat: i] += epsilon
            minus[flat: i] -= epsilon
            let numeric = (loss.evaluate(studentLogits: plus, teacherProbabilities: targets, labels: labels).loss
                - loss.evaluate(studentLogits: minus, teacherProbabilities: targets, labels: labels).loss) / (2 * Double(epsilon))
            let a = Double(analytic[flat: i])
            worst = max(worst, abs(a - numeric))
            XCTAssertEqual(a, numeric, accuracy: 2e-4 + 2e-3 * abs(numeric), "∂L/∂z[\(i)]")
        }
        XCTAssertGreaterThan(GradientScale.norm(analytic), 0.01, "a vanishing gradient would pass any check")
    }

    func testTemperatureOneWithoutSoftTermIsPlainCrossEntropy() {
        let student = logits(9, 10, scale: 4, seed: 5), teacher = logits(9, 10, scale: 4, seed: 6)
        let labels = [0, 1, 2, 3, 4, 5, 6, 7, 8]
        let loss = DistillationLoss(temperature: 1, alpha: 0)
        let result = loss.evaluate(studentLogits: student, teacherProbabilities: teacher.softmax(), labels: labels)
        let plain = student.crossEntropy(labels: labels)
        XCTAssertEqual(result.loss, Double(plain.loss))
        XCTAssertEqual(result.logitGradient.scalars, plain.logitsGradient.scalars)
        XCTAssertGreaterThan(result.terms.soft, 0.1, "the soft term is computed, only weighted by 0")
    }

    func testKLIsZeroWhenTheStudentMatchesTheTeacher() {
        let z = logits(4, 10, scale: 5, seed: 7)
        let loss = DistillationLoss(temperature: 4, alpha: 1)
        let result = loss.evaluate(studentLogits: z, teacherProbabilities: z.softmax(temperature: 4),
                                   labels: [nil, nil, nil, nil])
        XCTAssertEqual(result.terms.soft, 0, accuracy: 1e-6)
        XCTAssertLessThan(GradientScale.norm(result.logitGradient), 1e-6)
        XCTAssertEqual(result.terms.labeledCount, 0)
        XCTAssertEqual(result.terms.hard, 0)
    }

    func testTSquaredScalesTheSoftGradientExactlyAndKeepsItsSizeAcrossTemperatures() {
        let student = logits(32, 10, scale: 2, seed: 8), teacher = logits(32, 10, scale: 8, seed: 9)
        let labels: [Int?] = Array(repeating: nil, count: 32)
        func softNorm(_ t: Float, scaled: Bool) -> Double {
            let loss = DistillationLoss(temperature: t, alpha: 1, scalesByTemperatureSquared: scaled)
            return GradientScale.norm(loss.evaluate(studentLogits: student, teacherProbabilities: teacher.softmax(temperature: t),
                                                    labels: labels).logitGradient)
        }
        for t: Float in [2, 4, 8] {
            XCTAssertEqual(softNorm(t, scaled: true), Double(t * t) * softNorm(t, scaled: false),
                           accuracy: 1e-6 * softNorm(t, scaled: true))
        }
        // Without T², doubling T from 8 to 16 divides the soft gradient by about 4 (1/T²);
        // with T² it stays within 10 %.
        let without = softNorm(8, scaled: false) / softNorm(16, scaled: false)
        let with = softNorm(8, scaled: true) / softNorm(16, scaled: true)
        XCTAssertEqual(without, 4, accuracy: 0.4)
        XCTAssertEqual(with, 1, accuracy: 0.1)
    }

    func testGradientScaleTableShowsTheOneOverTSquaredFall() {
        let transfer = Dataset(name: "toy", features: logits(16, 4, scale: 1, seed: 10), labels: (0..<16).map { $0 % 3 },
                               sampleShape: [4], featureNames: ["a", "b", "c", "d"], classNames: ["x", "y", "z"])
        var generator = SeededGenerator(seed: 11)
        let student = try! ModelArchitecture.mlp("4-8-3").makeModel(generator: &generator)
        let teacherLogits = logits(16, 3, scale: 6, seed: 12)
        let scales = GradientScale.measure(student: student, transfer: transfer, teacherLogits: teacherLogits,
                                           indices: Array(0..<16), temperatures: [1, 4, 16], pool: ComputePool(threads: 1))
        XCTAssertEqual(scales.map(\.temperature), [1, 4, 16])
        XCTAssertEqual(Set(scales.map(\.hardNorm)).count, 1, "the hard term does not depend on T")
        XCTAssertGreaterThan(scales[0].softNorm, 8 * scales[2].softNorm)
        XCTAssertLessThan(scales[2].scaledSoftNorm / scales[1].scaledSoftNorm, 2)
        XCTAssertEqual(GradientScale.temperatures(including: 3), [1, 2, 3, 4, 8])
    }

    func testOptionsAreChecked() {
        XCTAssertThrowsError(try DistillationLoss(temperature: 0).validate()) { error in
            XCTAssertEqual((error as? DistillationError)?.description,
                           "T=0 is not allowed; expected a temperature in (0, 100], like 2, 4 or 8")
        }
        XCTAssertThrowsError(try DistillationLoss(alpha: 1.5).validate())
        XCTAssertNoThrow(try DistillationLoss(temperature: 100, alpha: 0).validate())
    }

    func testLabeledBudgetReadsFractionsPercentsAndCounts() throws {
        XCTAssertEqual(LabeledBudget(text: "0.05"), .fraction(0.05))
        XCTAssertEqual(LabeledBudget(text: "5%"), .fraction(0.05))
        XCTAssertEqual(LabeledBudget(text: "60"), .count(60))
        XCTAssertEqual(LabeledBudget(text: "1"), .all)
        XCTAssertEqual(LabeledBudget(text: "100%"), .all)
        XCTAssertNil(LabeledBudget(text: "0"))
        XCTAssertNil(LabeledBudget(text: "1.5"))
        XCTAssertNil(LabeledBudget(text: "some"))
        XCTAssertEqual(try LabeledBudget.fraction(0.05).count(of: 1347), 67)
        XCTAssertEqual(try LabeledBudget.all.count(of: 1347), 1347)
        XCTAssertThrowsError(try LabeledBudget.count(2000).count(of: 1347)) { error in
            XCTAssertTrue("\(error)".contains("a count from 1 to 1347"), "\(error)")
        }
    }

    func testStratifiedSampleKeepsClassProportionsAndDependsOnTheSeed() {
        let labels = (0..<100).map { $0 < 60 ? 0 : ($0 < 90 ? 1 : 2) }
        let data = Dataset(name: "toy", features: .zeros([100, 1]), labels: labels, sampleShape: [1],
                           featureNames: ["x"], classNames: ["a", "b", "c"])
        let chosen = data.stratifiedSample(count: 10, seed: 0)
        XCTAssertEqual(chosen.count, 10)
        XCTAssertEqual(chosen, chosen.sorted())
        XCTAssertEqual(Set(chosen).count, 10)
        XCTAssertEqual([0, 1, 2].map { c in chosen.filter { labels[$0] == c }.count }, [6, 3, 1])
        XCTAssertEqual(chosen, data.stratifiedSample(count: 10, seed: 0))
        XCTAssertNotEqual(chosen, data.stratifiedSample(count: 10, seed: 1))
    }
}
