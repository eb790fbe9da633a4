import XCTest
import SlimKernels
@testable import SlimLab
import SlimTestSupport

/// The targets on the digits MLP (64-64-10, default training, seed 0): static int8
/// per-channel PTQ within 0.5 points of fp32; 4-bit per-tensor PTQ losing clearly more; QAT at
/// 4 bits recovering to within 1.5 points.
final class QuantDigitsTests: XCTestCase {
    private static let pool = ComputePool(threads: 2)

    private static let trained: (model: Model, split: DatasetSplit, accuracy: Double)? = {
        guard let split = try? TrainedDigits.split(),
              let model = try? TrainedDigits.variant("mlp 64-64-10", epochs: TrainingOptions().epochs).model,
              let accuracy = try? model.accuracy(on: split.test, pool: pool) else { return nil }
        return (model, split, accuracy)
    }()

    private func baseline() throws -> (model: Model, split: DatasetSplit, accuracy: Double) {
        try XCTUnwrap(Self.trained, "digits could not be loaded and trained")
    }

    private func ptq(_ options: QuantizationOptions) throws -> Double {
        let (model, split, _) = try baseline()
        let run = try PostTrainingQuantization.run(model, options: options, calibrationData: split.train.features,
                                                   pool: Self.pool)
        return try run.variant.accuracy(on: split.test, pool: Self.pool)
    }

    func testStaticInt8PerChannelIsWithinHalfAPoint() throws {
        let fp32 = try baseline().accuracy
        let int8 = try ptq(QuantizationOptions(bits: 8, granularity: .channel))
        XCTAssertGreaterThan(fp32, 0.95)
        XCTAssertLessThanOrEqual(abs(int8 - fp32), 0.005)
    }

    func testFourBitPerTensorLosesMoreAndQATRecovers() throws {
        let (model, split, fp32) = try baseline()
        let int8 = try ptq(QuantizationOptions(bits: 8, granularity: .channel))
        let int4 = try ptq(QuantizationOptions(bits: 4, granularity: .tensor))
        let options = QATOptions(bits: 4, granularity: .tensor)
        let qat = try QuantizationAwareTraining.run(model, data: split, options: options, pool: Self.pool)
        let recovered = try XCTUnwrap(qat.finalAccuracy)
        XCTAssertLessThan(int4, int8 - 0.01)                 // clearly more than int8 loses
        XCTAssertGreaterThanOrEqual(recovered, fp32 - 0.015)
        XCTAssertGreaterThan(recovered, int4)
    }
}
