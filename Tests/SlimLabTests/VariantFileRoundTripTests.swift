import XCTest
import Foundation
import SlimKernels
@testable import SlimLab
import SlimTestSupport

/// Every kind of variant, trained or fine-tuned in a session, saved and loaded again: the
/// loaded model evaluates exactly as the session's (same logits, bit for bit), has the same
/// `compare` row (parameters, non-zeros, bytes, accuracy), and its file is its bytes plus a
/// small header.
final class VariantFileRoundTripTests: XCTestCase {
    /// One workspace with every kind, built once per test process.
    nonisolated(unsafe) private static let built: Result<Workspace, any Error> = Result {
        let workspace = try Workspace.loading("digits", threads: 2)
        let data = workspace.data!
        var training = workspace.trainingDefaults
        training.epochs = 4
        try workspace.newModel("mlp 64-64-10", name: "b", seed: 0)
        try workspace.train("b", data: data, options: training)
        var oneEpoch = workspace.trainingDefaults
        oneEpoch.epochs = 1
        oneEpoch.learningRate = 0.001
        let finetune = FinetuneOptions(epochs: 1, learningRate: 0.001)

        // Masked: stored in CSR (80 %), and dense with its mask (30 %, where CSR is larger).
        try workspace.pruneMagnitude("b", options: MagnitudePruningOptions(sparsity: 0.8), name: "p80")
        try workspace.finetune("p80", options: finetune)
        try workspace.pruneMagnitude("b", options: MagnitudePruningOptions(sparsity: 0.3), name: "p30")
        try workspace.finetune("p30", options: finetune)
        // Structurally shrunk.
        try workspace.pruneStructured("b", ratio: 0.25, norm: .l1, name: "s25")
        try workspace.finetune("s25", options: finetune)
        // Quantized: static int8 (symmetric per channel, affine per tensor), weight-only grids
        // at 4, 3 and 2 bits, Q8_0 and Q4_0 blocks; each then trained one epoch (re-quantized).
        let kinds: [(String, QuantizationOptions)] = [
            ("q8", QuantizationOptions(bits: 8, granularity: .channel)),
            ("qa8", QuantizationOptions(bits: 8, scheme: .affine, granularity: .tensor)),
            ("w4", QuantizationOptions(bits: 4, granularity: .channel, weightsOnly: true)),
            ("w3a", QuantizationOptions(bits: 3, scheme: .affine, weightsOnly: true)),
            ("w2", QuantizationOptions(bits: 2, weightsOnly: true)),
            ("g8", QuantizationOptions(format: .q8_0)),
            ("g4", QuantizationOptions(format: .q4_0)),
        ]
        let source = try workspace.variants.variant(named: "b")
        for (name, options) in kinds {
            let run = try PostTrainingQuantization.run(source.model, options: options, calibrationData: data.train.features,
                                                       pool: workspace.pool)
            try workspace.variants.add(Variant(name: name, model: run.variant, origin: options.summary, parent: "b"))
            try workspace.train(name, data: data, options: oneEpoch)
        }
        // QAT at 4 bits, then trained one more epoch.
        var qat = QATOptions(bits: 4)
        qat.training.epochs = 1
        let qatRun = try QuantizationAwareTraining.run(source.model, data: data, options: qat, pool: workspace.pool)
        try workspace.variants.add(Variant(name: "qat4", model: qatRun.variant, origin: qat.summary, parent: "b"))
        try workspace.train("qat4", data: data, options: oneEpoch)
        // A distilled student.
        var distillation = DistillationOptions(comparesWithScratch: false)
        distillation.training.epochs = 2
        _ = try workspace.distill(teacher: "b", student: .architecture("mlp 64-16-10"), options: distillation, name: "student")
        // Weight sharing: every weight (fixed-width indices), a pruned variant's kept weights
        // (relative indices, CSR kernels), Deep Compression (Huffman-coded); centroids fine-tuned.
        try workspace.cluster("b", options: ClusteringOptions(clusters: 4), name: "k4")
        try workspace.finetune("k4", options: finetune)
        try workspace.cluster("p80", options: ClusteringOptions(clusters: 8), name: "p80k8")
        try workspace.finetune("p80k8", options: finetune)
        var deep = DeepCompressionOptions()
        (deep.sparsity, deep.clusters, deep.pruneEpochs, deep.clusterEpochs) = (0.8, 8, 1, 1)
        try workspace.deepCompress("b", options: deep, name: "deep")
        // Search's pruned integer codes: CSR of 4-bit codes (fc1 at 90 %) and dense 8-bit codes (fc2).
        let codes = CompressionRecipe(settings: [LayerSetting(layer: "fc1", sparsity: 0.9, bits: 4),
                                                  LayerSetting(layer: "fc2", sparsity: 0.1, bits: 8)])
        try workspace.variants.add(Variant(name: "codes", model: try codes.apply(to: source.model), origin: codes.label, parent: "b"))
        return workspace
    }

    private func workspace() throws -> Workspace { try Self.built.get() }

    private func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-roundtrip-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    /// Saves `name`, loads the file into a fresh workspace and checks it against the session's.
    @discardableResult
    private func assertRoundTrip(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> SavedModelFile {
        let workspace = try workspace()
        let data = try XCTUnwrap(workspace.data)
        let path = temporaryPath("\(name).safetensors")
        let saved = try workspace.saveModel(name, to: path)
        let fresh = Workspace(threads: 1)
        let loaded = try fresh.loadModel(from: path)
        let original = try workspace.variants.variant(named: name).model
        XCTAssertEqual(loaded.name, name, file: file, line: line)
        XCTAssertEqual(loaded.model.architecture, original.architecture, file: file, line: line)
        XCTAssertEqual(loaded.model.storedTensors, original.storedTensors, file: file, line: line)
        XCTAssertEqual(loaded.model.parameterCount, original.parameterCount, file: file, line: line)
        XCTAssertEqual(loaded.model.nonZeroParameterCount, original.nonZeroParameterCount, file: file, line: line)
        XCTAssertEqual(loaded.model.storedByteCount, original.storedByteCount, file: file, line: line)
        XCTAssertEqual(loaded.model.completedEpochs, original.completedEpochs, file: file, line: line)
        XCTAssertEqual(loaded.model.inferenceEngine?.label, original.inferenceEngine?.label, file: file, line: line)
        XCTAssertEqual(loaded.model.logits(data.test.features, pool: fresh.pool),
                       original.logits(data.test.features, pool: workspace.pool), "logits of \(name)", file: file, line: line)
        XCTAssertEqual(try loaded.model.accuracy(on: data.test, pool: fresh.pool),
                       try original.accuracy(on: data.test, pool: workspace.pool), file: file, line: line)
        for (a, b) in zip(loaded.model.layers, original.layers) {
            XCTAssertEqual((a as? Dense)?.inferenceKernel?.label, (b as? Dense)?.inferenceKernel?.label, a.name, file: file, line: line)
            for (p, q) in zip(a.parameters, b.parameters) {
                XCTAssertEqual(p.value, q.value, "\(a.name).\(p.name)", file: file, line: line)
                XCTAssertEqual(p.mask, q.mask, "\(a.name).\(p.name) mask", file: file, line: line)
            }
        }
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(size, saved.fileBytes, file: file, line: line)
        XCTAssertEqual(saved.variantBytes, original.storedByteCount, file: file, line: line)
        XCTAssertLessThan(saved.headerBytes, 3_000, "the header of \(name)", file: file, line: line)
        return saved
    }

    func testFloatAndDistilledVariantsRoundTrip() throws {
        let b = try assertRoundTrip("b")
        XCTAssertEqual(b.tensorBytes, b.variantBytes)
        let student = try assertRoundTrip("student")
        XCTAssertEqual(student.tensorBytes, student.variantBytes)
    }

    func testPrunedVariantsRoundTripWithTheirMasksAndCSR() throws {
        let p80 = try assertRoundTrip("p80")
        XCTAssertEqual(p80.tensorBytes, p80.variantBytes, "CSR arrays as stored; the CSR structure is the mask")
        XCTAssertLessThan(p80.fileBytes, p80.variantBytes + 2_048)
        XCTAssertLessThan(p80.variantBytes, try workspace().variants.variant(named: "b").model.storedByteCount / 2)
        let p30 = try assertRoundTrip("p30")
        // Dense F32 weights plus one mask bit per pruned-layer weight (64·64 + 10·64 bits).
        XCTAssertEqual(p30.tensorBytes, p30.variantBytes + (64 * 64 + 10 * 64) / 8)
        let s25 = try assertRoundTrip("s25")
        XCTAssertEqual(s25.tensorBytes, s25.variantBytes)
        XCTAssertEqual(try workspace().variants.variant(named: "s25").model.architecture.specification, "mlp 64-48-10")
    }

    func testStaticInt8AndQATVariantsRoundTripOnTheirEngine() throws {
        let q8 = try assertRoundTrip("q8")
        // The codes, scales and biases, plus the two activation ranges (2 × 8 bytes).
        XCTAssertEqual(q8.tensorBytes, q8.variantBytes + 16)
        XCTAssertLessThan(q8.fileBytes, 8 * 1024, "the int8 digits MLP's file")
        let qa8 = try assertRoundTrip("qa8")
        XCTAssertEqual(qa8.tensorBytes, qa8.variantBytes + 16)
        let qat = try assertRoundTrip("qat4")
        XCTAssertEqual(qat.tensorBytes, qat.variantBytes + 16)
        let file = try SafetensorsFile.read(from: temporaryPath("q8.safetensors"))
        XCTAssertEqual(file["fc1.weight"]?.dtype, .int8)
        XCTAssertEqual(file["fc1.weight.scale"]?.shape, [64])
        XCTAssertNil(file["fc1.weight.zero_point"], "symmetric: the zero point is 0")
        XCTAssertEqual(file.metadata["slimlab.storage.fc1.weight"], "grid bits=8 granularity=channel scheme=symmetric")
        XCTAssertEqual(file.metadata["slimlab.engine"], "int8-static activation_bits=8 ranges=input,relu1.out")
        XCTAssertTrue(file.metadata["fc1.weight"]?.hasSuffix("w = s·q") ?? false)
    }

    func testWeightOnlyAndBlockVariantsRoundTripAsStored() throws {
        for name in ["w4", "w3a", "w2", "g8", "g4"] {
            let saved = try assertRoundTrip(name)
            XCTAssertEqual(saved.tensorBytes, saved.variantBytes, name)
        }
        let w4 = try SafetensorsFile.read(from: temporaryPath("w4.safetensors"))
        XCTAssertEqual(w4["fc1.weight"]?.dtype, .uint8)
        XCTAssertEqual(w4["fc1.weight"]?.shape, [64 * 64 / 2], "two 4-bit codes per byte")
        let g4 = try SafetensorsFile.read(from: temporaryPath("g4.safetensors"))
        XCTAssertEqual(g4["fc1.weight"]?.shape, [64 * 64 / 32 * 18], "18 bytes per block of 32")
    }

    func testClusteredVariantsRoundTripAsCodebooksAndIndices() throws {
        let workspace = try workspace()
        let k4 = try assertRoundTrip("k4")
        XCTAssertEqual(k4.tensorBytes, k4.variantBytes)
        // ⌈n·log₂k / 8⌉ index bytes and k fp32 centroids per weight, fp32 biases.
        let model = try workspace.variants.variant(named: "k4").model
        XCTAssertEqual(model.storedByteCount, (64 * 64 * 2 + 7) / 8 + 16 + (10 * 64 * 2 + 7) / 8 + 16 + (64 + 10) * 4)
        XCTAssertEqual(model.storedTensors.map(\.dtype.rawValue), ["idx2", "f32", "idx2", "f32"])
        let p80k8 = try assertRoundTrip("p80k8")
        XCTAssertEqual(p80k8.tensorBytes, p80k8.variantBytes)
        let pruned = try workspace.variants.variant(named: "p80k8").model
        XCTAssertEqual(pruned.storedTensors.first?.dtype.rawValue, "idx3+gap5", "rows of 64: no gap passes 32, no filler, 3 bits")
        XCTAssertEqual((pruned.layers[0] as? Dense)?.inferenceKernel?.label.hasPrefix("csr"), true)
        let deep = try assertRoundTrip("deep")
        XCTAssertEqual(deep.tensorBytes, deep.variantBytes)
        XCTAssertEqual(try workspace.variants.variant(named: "deep").model.storedTensors.first?.dtype.rawValue, "huffman")
        let file = try SafetensorsFile.read(from: temporaryPath("k4.safetensors"))
        XCTAssertEqual(file["fc1.weight"]?.shape, [64 * 64 * 2 / 8])
        XCTAssertEqual(file["fc1.weight.codebook"]?.shape, [4])
        XCTAssertEqual(file.metadata["slimlab.storage.fc1.weight"], "shared coding=fixed entries=4096 k=4 symbol_bits=2")
    }

    /// After `model load`, fine-tuning a clustered variant still trains its centroids and keeps
    /// every assignment, bit for bit as the session's variant does.
    func testALoadedClusteredVariantKeepsTrainingItsCentroids() throws {
        let workspace = try workspace()
        let path = temporaryPath("p80k8-train.safetensors")
        try workspace.saveModel("p80k8", to: path)
        let mine = Workspace(threads: 1), theirs = Workspace(threads: 1)
        mine.data = workspace.data
        theirs.data = workspace.data
        try mine.loadModel(from: path)
        try theirs.variants.add(try workspace.variants.variant(named: "p80k8"))
        let options = FinetuneOptions(epochs: 1, learningRate: 0.01)
        try mine.finetune("p80k8", options: options)
        try theirs.finetune("p80k8", options: options)
        let a = try mine.variants.variant().model, b = try theirs.variants.variant().model
        let before = try workspace.variants.variant(named: "p80k8").model.codebooks
        XCTAssertEqual(Set(a.codebooks.keys), ["fc1.weight", "fc2.weight"])
        for (name, codebook) in a.codebooks {
            XCTAssertEqual(codebook.assignments, before[name]?.assignments, name)
            XCTAssertNotEqual(codebook.centroids, before[name]?.centroids, "\(name): the centroids moved")
            XCTAssertEqual(codebook, b.codebooks[name], name)
        }
        XCTAssertEqual(a.storedTensors, b.storedTensors)
        XCTAssertEqual(a.logits(workspace.data!.test.features, pool: mine.pool), b.logits(workspace.data!.test.features, pool: theirs.pool))
    }

    func testPrunedIntegerCodesRoundTripInTheirOwnForm() throws {
        let codes = try assertRoundTrip("codes")
        // The masks go beside (a kept weight may round to the code 0): one bit per weight.
        XCTAssertEqual(codes.tensorBytes, codes.variantBytes + (64 * 64 + 10 * 64) / 8)
        let file = try SafetensorsFile.read(from: temporaryPath("codes.safetensors"))
        XCTAssertEqual(file.metadata["slimlab.storage.fc1.weight"]?.hasPrefix("sparse-codes bits=4 csr=yes"), true)
        XCTAssertEqual(file["fc1.weight.col_indices"]?.dtype, .uint16)
        XCTAssertEqual(file.metadata["slimlab.storage.fc2.weight"]?.hasPrefix("sparse-codes bits=8 csr=no"), true)
        XCTAssertEqual(file["fc2.weight"]?.dtype, .int8)
    }

    /// A loaded quantized variant keeps its kind: training it re-quantizes the same way, so it
    /// ends bit for bit where the session's variant does after the same epoch.
    func testALoadedStaticVariantTrainsLikeTheSessionsOne() throws {
        let workspace = try workspace()
        let data = try XCTUnwrap(workspace.data)
        let path = temporaryPath("q8-train.safetensors")
        try workspace.saveModel("q8", to: path)
        var options = workspace.trainingDefaults
        options.epochs = 1
        options.learningRate = 0.001
        let mine = Workspace(threads: 1), theirs = Workspace(threads: 1)
        try mine.loadModel(from: path)
        try theirs.variants.add(try workspace.variants.variant(named: "q8"))
        try mine.train(data: data, options: options)
        try theirs.train(data: data, options: options)
        let a = try mine.variants.variant().model, b = try theirs.variants.variant().model
        XCTAssertNotNil(a.inferenceEngine)
        XCTAssertEqual(a.logits(data.test.features, pool: mine.pool), b.logits(data.test.features, pool: theirs.pool))
        XCTAssertEqual(a.storedTensors, b.storedTensors)
    }
}
