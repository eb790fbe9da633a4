import XCTest
import Foundation
import SlimKernels
@testable import SlimLab

final class ModelFileTests: XCTestCase {
    let pool = ComputePool(threads: 1)

    func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-modelfile-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    func fixture(_ name: String) -> String {
        Bundle.module.path(forResource: "Fixtures/models/\(name)", ofType: nil)!
    }

    func makeModel(_ spec: String, seed: UInt64 = 1) throws -> Model {
        var generator = SeededGenerator(seed: seed)
        return try ModelArchitecture.parse(spec).makeModel(generator: &generator)
    }

    func assertSameParameters(_ a: Model, _ b: Model, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(a.parameterNames, b.parameterNames, file: file, line: line)
        for name in a.parameterNames {
            XCTAssertEqual(try a.parameter(named: name).value, try b.parameter(named: name).value, name, file: file, line: line)
            XCTAssertEqual(try a.parameter(named: name).mask, try b.parameter(named: name).mask, name, file: file, line: line)
        }
    }

    func testMLPRoundTripKeepsWeightsMasksAndEpochs() throws {
        var model = try makeModel("mlp 8-6-3")
        var mask = Tensor<Float>(shape: [6, 8], repeating: 1)
        for i in stride(from: 0, to: 48, by: 5) { mask[flat: i] = 0 }
        try model.setMask(mask, forParameter: "fc1.weight")
        model.completedEpochs = 12
        let path = temporaryPath("mlp.safetensors")
        try ModelFile.write(model, name: "pruned", to: path)
        let (loaded, name) = try ModelFile.read(from: path)
        XCTAssertEqual(name, "pruned")
        XCTAssertEqual(loaded.architecture, model.architecture)
        XCTAssertEqual(loaded.completedEpochs, 12)
        try assertSameParameters(model, loaded)
        let file = try SafetensorsFile.read(from: path)
        XCTAssertEqual(file.metadata[ModelFile.Key.masks], "fc1.weight")
        XCTAssertEqual(file.metadata[ModelFile.Key.specification], "mlp 8-6-3")
        XCTAssertEqual(file.metadata[ModelFile.Key.format], ModelFile.formatName)
        XCTAssertEqual(file["fc1.weight.mask"]?.dtype, .uint8)
        XCTAssertEqual(file["fc1.weight.mask"]?.shape, [6], "48 weights, one bit each")
        XCTAssertEqual(file["fc1.weight"]?.shape, [6, 8])
        XCTAssertEqual(Set(file.names), ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc1.weight.mask"])
    }

    func testFormatOneFilesWithByteMasksStillLoad() throws {
        var model = try makeModel("mlp 4-3-2")
        var mask = Tensor<Float>(shape: [3, 4], repeating: 1)
        mask[flat: 5] = 0
        try model.setMask(mask, forParameter: "fc1.weight")
        var file = ModelFile.encode(model)
        file.metadata[ModelFile.Key.format] = "slimlab-model-1"
        file["fc1.weight.mask"] = nil
        file["fc1.weight_mask"] = SafetensorsTensor(Tensor<UInt8>(shape: [3, 4], scalars: mask.scalars.map { UInt8($0) }))
        let loaded = try ModelFile.decode(file)
        try assertSameParameters(model, loaded)
        file.metadata[ModelFile.Key.format] = "slimlab-model-9"
        XCTAssertThrowsError(try ModelFile.decode(file, path: "z.safetensors")) { error in
            XCTAssertEqual("\(error)", "'z.safetensors': metadata format='slimlab-model-9' is not valid")
        }
    }

    /// Written by Python from the scheme the metadata describes (make_variant_fixtures.py):
    /// int8 codes with per-channel scales and activation ranges load as a static int8 variant.
    func testPythonWrittenInt8StaticVariantLoads() throws {
        let (model, name) = try ModelFile.read(from: fixture("python-int8-static.safetensors"))
        XCTAssertEqual(name, "py-int8")
        XCTAssertEqual(model.completedEpochs, 7)
        let engine = try XCTUnwrap(model.inferenceEngine as? Int8Network)
        XCTAssertEqual(engine.stages.map(\.weight.spec), [QuantizationSpec(bits: 8, granularity: .channel),
                                                          QuantizationSpec(bits: 8, granularity: .channel)])
        XCTAssertEqual(engine.input.parameters.scale, 4.0 / 255)
        XCTAssertEqual(engine.stages[0].output?.parameters.scale, 4.0 / 255)
        XCTAssertEqual(try model.parameter(named: "fc1.weight").value.scalars,
                       [64, -32, 127, 0].map { Float($0) * 0.0078125 } + [-127, 96, 16, 8].map { Float($0) * 0.015625 }
                       + [0, 0, -64, 127].map { Float($0) * 0.01171875 })
        // codes 12 + 6 bytes, scales 3 + 2 Floats, biases 3 + 2 Floats.
        XCTAssertEqual(model.storedByteCount, 18 + 20 + 20)
        // The engine compiled here from the same numbers computes the same logits.
        var plain = model
        plain.inferenceEngine = nil
        let links = try StaticQuantization.chain(of: plain)
        let weights = engine.stages.map(\.weight)
        let rebuilt = try StaticQuantization.compile(plain, quantizedWeights: weights, activationBits: 8,
                                                     ranges: [.init(name: "input", min: -2, max: 2),
                                                              .init(name: "relu1.out", min: 0, max: 4)])
        XCTAssertEqual(links.count, 2)
        let x = Tensor<Float>(shape: [2, 4], scalars: [1, -1, 0.5, 2, -2, 0.25, 1.5, -0.75])
        XCTAssertEqual(model.logits(x, pool: pool), rebuilt.logits(x, pool: pool))
    }

    /// Written by Python: int4 codes packed two per byte, low nibble first, affine per tensor.
    func testPythonWrittenPackedInt4VariantLoads() throws {
        let (model, name) = try ModelFile.read(from: fixture("python-int4-packed.safetensors"))
        XCTAssertEqual(name, "py-int4")
        let dense = try XCTUnwrap(model.layers[0] as? Dense)
        XCTAssertTrue(dense.inferenceKernel is WeightOnlyDenseKernel)
        XCTAssertEqual(dense.weight.scalars, [-7, 0, 1, 8, 4, -3, 6, 7, 2, 3, -2, -6].map { Float($0) * 0.125 })
        // x = 1: fc1 = [0.25, 1.75, −0.375] + [0.25, −0.5, 0] → ReLU [0.5, 1.25, 0];
        // fc2 = [0.5 − 1.25, −0.25 + 0.3125] + [0, 0.125] = [−0.75, 0.1875].
        XCTAssertEqual(model.logits(Tensor(shape: [1, 4], repeating: 1), pool: pool).scalars, [-0.75, 0.1875])
        // 6 bytes of codes, a scale and a zero point; fc2 in F32; biases.
        XCTAssertEqual(model.storedByteCount, 6 + 5 + 24 + 20)
    }

    func testDamagedQuantizedFilesGiveClearErrors() throws {
        let file = try SafetensorsFile.read(from: fixture("python-int8-static.safetensors"))
        var outside = file
        outside["fc1.weight"] = SafetensorsTensor(Tensor<Int8>(shape: [3, 4], repeating: -128))
        XCTAssertThrowsError(try ModelFile.decode(outside, path: "q.safetensors")) { error in
            XCTAssertEqual("\(error)", "'q.safetensors': tensor fc1.weight cannot be read back: code -128 lies outside [-127, 127] of int8 symmetric per-channel")
        }
        var scale = file
        scale["fc2.weight.scale"] = SafetensorsTensor(Tensor<Float>(shape: [2], scalars: [0.5, -1]))
        XCTAssertThrowsError(try ModelFile.decode(scale, path: "q.safetensors")) { error in
            XCTAssertEqual("\(error)", "'q.safetensors': tensor fc2.weight.scale cannot be read back: scale -1.0 is not positive and finite")
        }
        var dtype = file
        dtype["fc1.weight"] = SafetensorsTensor(Tensor<Float>.zeros([3, 4]))
        XCTAssertThrowsError(try ModelFile.decode(dtype, path: "q.safetensors")) { error in
            XCTAssertEqual("\(error)", "'q.safetensors': tensor fc1.weight is F32; its storage needs I8")
        }
        var range = file
        range["relu1.out.range"] = nil
        XCTAssertThrowsError(try ModelFile.decode(range, path: "q.safetensors")) { error in
            XCTAssertEqual("\(error)", "'q.safetensors' lacks the tensor relu1.out.range (shape [2]) that its architecture needs")
        }
        var form = file
        form.metadata["slimlab.storage.fc1.weight"] = "grid bits=9 granularity=channel scheme=symmetric"
        XCTAssertThrowsError(try ModelFile.decode(form, path: "q.safetensors")) { error in
            XCTAssertTrue("\(error)".hasPrefix("'q.safetensors': metadata slimlab.storage.fc1.weight="), "\(error)")
        }
    }

    func testCNNRoundTripPredictsTheSame() throws {
        let model = try makeModel("cnn")
        let path = temporaryPath("cnn.safetensors")
        try ModelFile.write(model, to: path)
        let (loaded, name) = try ModelFile.read(from: path)
        XCTAssertNil(name)
        try assertSameParameters(model, loaded)
        var generator = SeededGenerator(seed: 5)
        let x = Tensor<Float>(shape: [3, 64], scalars: (0..<192).map { _ in generator.uniform(-1, 1) })
        XCTAssertEqual(model.logits(x, pool: pool), loaded.logits(x, pool: pool))
    }

    func testPythonStateDictLoadsAsAnMLP() throws {
        let (model, name) = try ModelFile.read(from: fixture("python-mlp.safetensors"))
        XCTAssertNil(name)
        XCTAssertEqual(model.architecture.specification, "mlp 4-3-2")
        XCTAssertEqual(try model.parameter(named: "fc1.weight").value.scalars,
                       [0.5, -0.25, 1.0, 0.0, -1.0, 0.75, 0.125, 2.0, 0.0, 0.0, -0.5, 1.5])
        XCTAssertEqual(try model.parameter(named: "fc2.bias").value.scalars, [0.0, 0.125])
        // x = [1, 1, 1, 1]: fc1 = [1.25, 1.875, 1.0] + [0.25, −0.5, 0] = [1.5, 1.375, 1.0] (all > 0);
        // fc2 = [1.5 − 1.375 + 0.5, −0.75 + 0.34375 + 2.0 + 0.125] = [0.625, 1.71875].
        XCTAssertEqual(model.logits(Tensor(shape: [1, 4], repeating: 1), pool: pool).scalars, [0.625, 1.71875])
    }

    func testForeignOrBrokenFilesGiveClearErrors() throws {
        XCTAssertThrowsError(try ModelFile.read(from: fixture("python-unknown.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("has no SlimLab architecture in its metadata, and its tensors (encoder.bias, encoder.weight)")
                          || "\(error)".contains("has no SlimLab architecture in its metadata, and its tensors (encoder.weight, encoder.bias)"),
                          "\(error)")
        }
        XCTAssertThrowsError(try ModelFile.read(from: temporaryPath("missing.safetensors"))) { error in
            XCTAssertTrue(error is SafetensorsError, "\(error)")
        }
        // A tensor of the wrong shape, and one missing.
        var file = ModelFile.encode(try makeModel("mlp 4-3-2"))
        file["fc2.weight"] = SafetensorsTensor(Tensor<Float>.zeros([3, 2]))
        XCTAssertThrowsError(try ModelFile.decode(file, path: "x.safetensors")) { error in
            XCTAssertEqual("\(error)", "'x.safetensors': tensor fc2.weight has shape [3, 2], its architecture needs [2, 3]")
        }
        file["fc2.weight"] = nil
        XCTAssertThrowsError(try ModelFile.decode(file, path: "x.safetensors")) { error in
            XCTAssertEqual("\(error)", "'x.safetensors' lacks the tensor fc2.weight (shape [2, 3]) that its architecture needs")
        }
        var bad = ModelFile.encode(try makeModel("mlp 4-3-2"))
        bad.metadata[ModelFile.Key.architecture] = "{\"inputShape\": [4], \"layers\": [{\"kind\": \"lstm\", \"name\": \"x\", \"attributes\": {}}]}"
        XCTAssertThrowsError(try ModelFile.decode(bad, path: "y.safetensors")) { error in
            XCTAssertTrue("\(error)".hasPrefix("'y.safetensors': the architecture in its metadata is unusable: unknown layer kind 'lstm'"), "\(error)")
        }
    }

    func testTruncatedFileLeavesTheWorkspaceUnchanged() throws {
        let workspace = Workspace(threads: 1)
        try workspace.newModel("mlp 4-3-2", name: "a")
        let path = temporaryPath("truncated.safetensors")
        try workspace.saveModel("a", to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try workspace.loadModel(from: path))
        XCTAssertEqual(workspace.variants.names, ["a"])
        XCTAssertEqual(workspace.variants.currentName, "a")
    }

    func testWorkspaceLoadNamesTheVariant() throws {
        let workspace = Workspace(threads: 1)
        try workspace.newModel("mlp 4-3-2", name: "base")
        let path = temporaryPath("my model.safetensors")
        try workspace.saveModel("base", to: path)
        XCTAssertEqual(try workspace.loadModel(from: path).name, "my-model", "the saved name 'base' is taken")
        XCTAssertEqual(try workspace.loadModel(from: path, name: "third").name, "third")
        try workspace.dropModel("base")
        let again = try workspace.loadModel(from: path)
        XCTAssertEqual(again.name, "base")
        XCTAssertEqual(again.origin, "loaded from my model.safetensors")
        XCTAssertThrowsError(try workspace.loadModel(from: path, name: "third"))
    }
}
