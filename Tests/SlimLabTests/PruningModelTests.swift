import XCTest
import SlimKernels
@testable import SlimLab

final class PruningModelTests: XCTestCase {
    let pool = ComputePool(threads: 1)

    func makeModel(_ architecture: ModelArchitecture, seed: UInt64 = 1) throws -> Model {
        var generator = SeededGenerator(seed: seed)
        return try architecture.makeModel(generator: &generator)
    }

    func batch(_ rows: Int, _ features: Int, seed: UInt64 = 2) -> Tensor<Float> {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, features], scalars: (0..<(rows * features)).map { _ in Float(generator.normal()) })
    }

    func activation(_ name: String, _ model: Model, _ x: Tensor<Float>) -> Tensor<Float> {
        model.activations(x, pool: pool).first { $0.name == name }!.value
    }

    func testMagnitudePruningMakesAMaskedCopyAndLeavesTheSource() throws {
        let model = try makeModel(.mlp(sizes: [64, 32, 10]))
        let (pruned, result) = try MagnitudePruning.prune(model: model, sparsity: 0.8, scope: .global)
        XCTAssertEqual(model.prunableWeights.map(\.value), try makeModel(.mlp(sizes: [64, 32, 10])).prunableWeights.map(\.value), "source untouched")
        XCTAssertTrue(model.pruningMasks.isEmpty)
        XCTAssertEqual(result.masks.thresholds[0].count, 64 * 32 + 32 * 10)
        let k = MagnitudePruning.pruneCount(parameters: 64 * 32 + 32 * 10, sparsity: 0.8)
        let zeros = pruned.prunableWeights.reduce(0) { $0 + LayerSparsity(name: $1.name, weight: $1.value).zeros }
        XCTAssertEqual(zeros, k)
        XCTAssertEqual(Set(pruned.pruningMasks.keys), ["fc1.weight", "fc2.weight"])
        for w in pruned.prunableWeights {
            let mask = pruned.pruningMasks[w.name]!
            XCTAssertEqual(MagnitudePruning.apply(mask, to: w.value), w.value)
        }
    }

    func testPruningAgainKeepsEarlierZerosAndReachesTheNewTarget() throws {
        let model = try makeModel(.mlp(sizes: [16, 8, 4]))
        let half = try MagnitudePruning.prune(model: model, sparsity: 0.5, scope: .layer, layers: ["fc1"]).model
        let more = try MagnitudePruning.prune(model: half, sparsity: 0.75, scope: .layer, layers: ["fc1"]).model
        let m1 = half.pruningMasks["fc1.weight"]!.scalars, m2 = more.pruningMasks["fc1.weight"]!.scalars
        for (a, b) in zip(m1, m2) where a == 0 { XCTAssertEqual(b, 0) }
        XCTAssertEqual(m2.filter { $0 == 0 }.count, 96)
        XCTAssertNil(more.pruningMasks["fc2.weight"])
        XCTAssertThrowsError(try MagnitudePruning.prune(model: model, sparsity: 0.5, scope: .layer, layers: ["fc9"])) { error in
            XCTAssertEqual("\(error)", "unknown layer 'fc9': prunable layers are fc1, fc2")
        }
    }

    func testStructuredShrinkKeepsTheKeptNeuronsOutputsIdentical() throws {
        let model = try makeModel(.mlp(sizes: [64, 32, 10]))
        let (shrunk, result) = try StructuredPruning.prune(model: model, ratio: 0.25, norm: .l2)
        XCTAssertEqual(StructuredPruning.shrinkableLayers(of: model), ["fc1"])
        let kept = result.rankings[0].kept
        XCTAssertEqual(kept.count, 24)
        XCTAssertEqual(result.shapeChanges, [
            ShapeChange(name: "fc1.weight", before: [32, 64], after: [24, 64]),
            ShapeChange(name: "fc1.bias", before: [32], after: [24]),
            ShapeChange(name: "fc2.weight", before: [10, 32], after: [10, 24]),
        ])
        XCTAssertEqual(shrunk.parameterCount, 24 * 64 + 24 + 10 * 24 + 10)
        XCTAssertEqual(model.parameterCount, 32 * 64 + 32 + 10 * 32 + 10, "source untouched")

        let x = batch(7, 64)
        let before = activation("fc1.out", model, x).gathering(kept, along: 1)
        XCTAssertEqual(activation("fc1.out", shrunk, x), before)

        // The shrunk model computes what the full model computes with the removed neurons silenced.
        var silenced = model
        for unit in result.rankings[0].removed {
            try silenced.updateParameter(named: "fc1.weight") { p in for c in 0..<64 { p.value[unit, c] = 0 } }
            try silenced.updateParameter(named: "fc1.bias") { p in p.value[unit] = 0 }
        }
        let a = silenced.logits(x, pool: pool).scalars, b = shrunk.logits(x, pool: pool).scalars
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }

    func testStructuredShrinkThroughPoolingAndFlatten() throws {
        let model = try makeModel(.cnn())
        XCTAssertEqual(StructuredPruning.shrinkableLayers(of: model), ["conv1", "conv2"])
        let (shrunk, result) = try StructuredPruning.prune(model: model, ratio: 0.5, norm: .l1)
        // Half of each convolution's filters are kept, and the next layers' inputs follow.
        let c1 = try model.parameter(named: "conv1.weight").value.shape
        let c2 = try model.parameter(named: "conv2.weight").value.shape
        let f1 = try model.parameter(named: "fc1.weight").value.shape
        XCTAssertEqual(result.rankings.map { $0.kept.count }, [c1[0] / 2, c2[0] / 2])
        XCTAssertEqual(try shrunk.parameter(named: "conv1.weight").value.shape, [c1[0] / 2, 1, 3, 3])
        XCTAssertEqual(try shrunk.parameter(named: "conv2.weight").value.shape, [c2[0] / 2, c1[0] / 2, 3, 3])
        XCTAssertEqual(try shrunk.parameter(named: "fc1.weight").value.shape, [f1[0], f1[1] / 2])

        let x = batch(3, 64)
        let keptFilters = result.rankings[0].kept
        let full = activation("conv1.out", model, x)     // [3, 8, 8, 8]
        XCTAssertEqual(activation("conv1.out", shrunk, x), full.gathering(keptFilters, along: 1))

        // conv2 was ranked after conv1 shrank; its kept filters match the model shrunk at conv1 only.
        let onlyConv1 = try StructuredPruning.prune(model: model, ratio: 0.5, norm: .l1, layers: ["conv1"]).model
        let keptConv2 = result.rankings[1].kept
        XCTAssertEqual(activation("conv2.out", shrunk, x),
                       activation("conv2.out", onlyConv1, x).gathering(keptConv2, along: 1))
    }

    func testStructuredShrinkCarriesMasks() throws {
        let model = try makeModel(.mlp(sizes: [8, 6, 3]))
        let masked = try MagnitudePruning.prune(model: model, sparsity: 0.5, scope: .layer).model
        let (shrunk, result) = try StructuredPruning.prune(model: masked, ratio: 0.5, norm: .l1)
        let kept = result.rankings[0].kept
        XCTAssertEqual(shrunk.pruningMasks["fc1.weight"], masked.pruningMasks["fc1.weight"]!.gathering(kept, along: 0))
        XCTAssertEqual(shrunk.pruningMasks["fc2.weight"], masked.pruningMasks["fc2.weight"]!.gathering(kept, along: 1))
    }

    func testStructuredErrorsNameTheLayer() throws {
        let model = try makeModel(.mlp(sizes: [8, 6, 3]))
        XCTAssertThrowsError(try StructuredPruning.prune(model: model, ratio: 0.5, norm: .l1, layers: ["fc2"])) { error in
            XCTAssertEqual(error as? PruningError, .notShrinkable(layer: "fc2", shrinkable: ["fc1"]))
        }
        XCTAssertThrowsError(try StructuredPruning.prune(model: model, ratio: 0.5, norm: .l1, layers: ["conv7"])) { error in
            XCTAssertEqual(error as? PruningError, .unknownLayer("conv7", available: ["fc1"]))
        }
        XCTAssertThrowsError(try StructuredPruning.prune(model: model, ratio: 1.2, norm: .l1)) { error in
            XCTAssertEqual(error as? PruningError, .ratioOutOfRange(1.2))
        }
        XCTAssertThrowsError(try StructuredPruning.prune(model: try makeModel(.mlp(sizes: [8, 3])), ratio: 0.5, norm: .l1)) { error in
            XCTAssertEqual(error as? PruningError, .noLayers)
        }
    }
}
