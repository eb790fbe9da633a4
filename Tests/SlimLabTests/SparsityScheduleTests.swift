import XCTest
@testable import SlimLab

final class SparsityScheduleTests: XCTestCase {
    func testGradualMatchesHandComputedCubic() throws {
        // s_t = 0.9 + (0 − 0.9)·(1 − t/10)³ at t = 2, 4, 6, 8, 10.
        let schedule = try SparsitySchedule(kind: .gradual, final: 0.9, steps: 5, epochsPerStep: 2)
        let expected = [0.9 - 0.9 * 0.512, 0.9 - 0.9 * 0.216, 0.9 - 0.9 * 0.064, 0.9 - 0.9 * 0.008, 0.9]
        XCTAssertEqual(schedule.steps.map(\.time), [2, 4, 6, 8, 10])
        for (step, value) in zip(schedule.steps, expected) {
            XCTAssertEqual(step.sparsity, value, accuracy: 1e-12)
        }
        XCTAssertEqual(schedule.steps[1].formula.rendered(),
                       "s_4 = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³ = 0.9 + (0 − 0.9)·(1 − (4 − 0)/(5·2))³ = 0.7056")
    }

    func testGradualFromAnInitialSparsity() throws {
        let schedule = try SparsitySchedule(kind: .gradual, initial: 0.5, final: 0.9, steps: 2, epochsPerStep: 1)
        // 0.9 + (0.5 − 0.9)·(1 − 1/2)³ = 0.9 − 0.4·0.125 = 0.85.
        XCTAssertEqual(schedule.steps[0].sparsity, 0.85, accuracy: 1e-12)
        XCTAssertEqual(schedule.steps[1].sparsity, 0.9)
    }

    func testPolynomialHoldsOutsideTheWindow() {
        XCTAssertEqual(SparsitySchedule.polynomial(initial: 0.1, final: 0.8, t: -3, t0: 0, n: 4, dt: 1), 0.1)
        XCTAssertEqual(SparsitySchedule.polynomial(initial: 0.1, final: 0.8, t: 99, t0: 0, n: 4, dt: 1), 0.8)
        XCTAssertEqual(SparsitySchedule.polynomial(initial: 0, final: 0.8, t: 5, t0: 3, n: 4, dt: 1),
                       0.8 - 0.8 * 0.125, accuracy: 1e-12)
    }

    func testIterativeKeepsTheSameFractionEachStep() throws {
        let schedule = try SparsitySchedule(kind: .iterative, final: 0.9, steps: 2, epochsPerStep: 3)
        XCTAssertEqual(schedule.steps[0].sparsity, 1 - 0.1.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(schedule.steps[1].sparsity, 0.9)
        XCTAssertEqual(schedule.steps.map(\.time), [3, 6])
        let three = try SparsitySchedule(kind: .iterative, final: 0.875, steps: 3, epochsPerStep: 1)
        XCTAssertEqual(three.steps.map(\.sparsity), [0.5, 0.75, 0.875].map { $0 }, accuracy: 1e-12)
    }

    func testOneShotIsOneStep() throws {
        let schedule = try SparsitySchedule(kind: .oneshot, final: 0.8, steps: 7, epochsPerStep: 0)
        XCTAssertEqual(schedule.steps.count, 1)
        XCTAssertEqual(schedule.steps[0].sparsity, 0.8)
    }

    func testBadSchedulesAreRejected() {
        XCTAssertThrowsError(try SparsitySchedule(kind: .gradual, final: 0.9, steps: 0, epochsPerStep: 1)) { error in
            XCTAssertEqual(error as? PruningError, .stepsOutOfRange(0))
        }
        XCTAssertThrowsError(try SparsitySchedule(kind: .gradual, final: 1, steps: 3, epochsPerStep: 1)) { error in
            XCTAssertEqual(error as? PruningError, .sparsityOutOfRange(1))
        }
        XCTAssertThrowsError(try SparsitySchedule(kind: .gradual, initial: 0.95, final: 0.9, steps: 3, epochsPerStep: 1)) { error in
            XCTAssertEqual(error as? PruningError, .scheduleDecreasing(initial: 0.95, final: 0.9))
        }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
