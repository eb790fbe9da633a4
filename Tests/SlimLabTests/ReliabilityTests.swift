import XCTest
import Foundation
import SlimKernels
@testable import SlimLab

/// The defensive side of the domain: budgets checked before allocation, special and corrupt
/// files refused by name, messages that never echo raw bytes, saves that clean up after
/// themselves. One test per class of finding.
final class ReliabilityTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-reliability-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "(no error)"
        } catch {
            return String(describing: error)
        }
    }

    // MARK: Budget

    func testHugeModelIsRefusedBeforeAllocationWithTheMemoryItWouldNeed() throws {
        let workspace = Workspace(threads: 1)
        let text = message { try workspace.newModel("mlp 64-100000000-10") }
        // (64·10⁸ + 10⁸ + 10⁸·10 + 10) parameters × 16 bytes = 1.2·10¹¹ bytes, and a batch
        // of 256 rows of the 10⁸-wide layer, twice, 2.048·10¹¹ bytes: 302 GiB.
        XCTAssertTrue(text.contains("would need 302 GiB of memory"), text)
        XCTAssertTrue(text.contains("the limit is 4 GiB"), text)
        XCTAssertTrue(text.contains("set max-memory="), text)
        XCTAssertTrue(workspace.variants.names.isEmpty)
    }

    func testSizesThatOverflowAreRefusedNotWrapped() {
        let workspace = Workspace(threads: 1)
        for spec in ["mlp 64-9223372036854775807-10", "mlp 4611686018427387904-4611686018427387904-2",
                     "mlp 3037000500-3037000500-2"] {
            let text = message { try workspace.newModel(spec) }
            XCTAssertTrue(text.contains("more memory than can be counted") || text.contains("would need"), text)
        }
        XCTAssertNil(ResourceBudget.product([Int.max, 2]))
        XCTAssertNil(ResourceBudget.product([3, -1]))
        XCTAssertEqual(ResourceBudget.product([1 << 20, 1 << 20]), 1 << 40)
        XCTAssertNil(ResourceBudget.sum([Int.max, 1]))
        XCTAssertEqual(ResourceBudget.sum([2, 3]), 5)
    }

    func testRaisingTheLimitAdmitsTheModelAndTheLimitIsExact() throws {
        let architecture = ModelArchitecture.mlp(sizes: [64, 1000, 10])
        let parameters = 64 * 1000 + 1000 + 1000 * 10 + 10
        let activations = 1000 * ResourceBudget.estimateBatch * 4 * 2
        let needed = parameters * ResourceBudget.trainingBytesPerParameter + activations
        XCTAssertNoThrow(try ResourceBudget(maxBytes: needed).checkModel(architecture))
        XCTAssertThrowsError(try ResourceBudget(maxBytes: needed - 1).checkModel(architecture))
        let workspace = Workspace(threads: 1)
        workspace.budget.maxBytes = needed - 1
        XCTAssertThrowsError(try workspace.newModel("mlp 64-1000-10"))
        workspace.budget.maxBytes = needed
        XCTAssertNoThrow(try workspace.newModel("mlp 64-1000-10"))
    }

    func testTooManyLayersAndOtherCountsAreRefused() {
        let layers = (0..<10_001).map { LayerDescription(kind: ReLU.kind, name: "relu\($0)") }
        XCTAssertEqual(message { try ResourceBudget().checkModel(ModelArchitecture(inputShape: [4], layers: layers)) },
                       "a model of 10001 layers is beyond the limit of 10000 layers")
        XCTAssertEqual(message { try ResourceBudget().checkCalibrationSamples(1_000_000_000_000) },
                       "samples=1000000000000 is beyond the limit of 1000000 calibration rows")
        XCTAssertNoThrow(try ResourceBudget().checkCalibrationSamples(1_000_000))
        XCTAssertThrowsError(try ResourceBudget().checkPass(rows: 65_536, weights: 2048 * 2048, for: "bench"))
        XCTAssertNoThrow(try ResourceBudget().checkPass(rows: 64, weights: 2048 * 2048, for: "bench"))
    }

    /// Training work: 3 multiply-adds per weight per training row per epoch, plus each epoch's
    /// evaluation; LeNet-300-100's 100,000 epochs over 60,000 images are refused at once.
    func testTrainingWorkIsCountedAndRefusedBeyondTheLimit() throws {
        var generator = SeededGenerator(seed: 0)
        let mlp = try ModelArchitecture.mlp("64-64-10").makeModel(generator: &generator)
        XCTAssertEqual(ResourceBudget.forwardMultiplyAdds(mlp), 64 * 64 + 64 + 64 * 10)   // the ReLU counts its outputs
        XCTAssertEqual(ResourceBudget.trainingWork(mlp, trainRows: 100, evaluationRows: 50, epochs: 2), 4800 * 350 * 2)
        let cnn = try ModelArchitecture.lenet5().makeModel(generator: &generator)
        // conv1 20·24·24·(1·5·5), relu 20·24·24, pool 20·12·12, conv2 50·8·8·(20·5·5), relu 50·8·8,
        // pool 50·4·4, flatten 800, fc1 800·500, relu 500, fc2 500·10.
        XCTAssertEqual(ResourceBudget.forwardMultiplyAdds(cnn),
                       288_000 + 11_520 + 2880 + 1_600_000 + 3200 + 800 + 800 + 400_000 + 500 + 5000)
        let lenet300 = try ModelArchitecture.lenet300().makeModel(generator: &generator)
        let workspace = Workspace(threads: 1)
        let text = message {
            try workspace.checkTrainingWork(lenet300, rows: 60_000, evaluationRows: 10_000, epochs: 100_000, what: "train epochs=100000")
        }
        XCTAssertTrue(text.hasPrefix("train epochs=100000 (100,000 epochs × 60,000 rows of mlp 784-300-100-10) would take about 5.1 × 10¹⁵ multiply-adds"), text)
        XCTAssertTrue(text.contains("the limit for one command is 10¹³"), text)
        XCTAssertTrue(text.contains("set max-work="), text)
        XCTAssertNoThrow(try workspace.checkTrainingWork(lenet300, rows: 54_000, epochs: 20, what: "train"))
        workspace.budget.maxWork = 1000
        XCTAssertThrowsError(try workspace.checkTrainingWork(mlp, rows: 1, epochs: 1, what: "train"))
        workspace.budget.maxWork = 4800 * 3
        XCTAssertNoThrow(try workspace.checkTrainingWork(mlp, rows: 1, epochs: 1, what: "train"))
        XCTAssertTrue(message { try workspace.checkTrainingWork(mlp, rows: Int.max, epochs: Int.max, what: "x") }
            .contains("more multiply-adds than can be counted"))
        XCTAssertEqual(ResourceError.multiplyAdds(950_000), "950,000")
        XCTAssertEqual(ResourceError.multiplyAdds(10_000_000_000_000), "10¹³")
        XCTAssertEqual(ResourceError.multiplyAdds(5_148_000_000_000_000), "5.1 × 10¹⁵")
        XCTAssertEqual(ResourceError.multiplyAdds(9_960_000), "10⁷")
        XCTAssertEqual(ResourceError.grouped(1_234_567), "1,234,567")
    }

    func testByteCountsReadAsPeopleWriteThem() {
        XCTAssertEqual(ResourceError.bytes(12), "12 bytes")
        XCTAssertEqual(ResourceError.bytes(1536), "1.5 KiB")
        XCTAssertEqual(ResourceError.bytes(4 << 30), "4 GiB")
        XCTAssertEqual(ResourceError.bytes(120_000_000_000), "112 GiB")
    }

    func testTensorElementCountIsChecked() {
        XCTAssertEqual(Tensor<Float>.elementCount(of: [3, 4, 5]), 60)
        XCTAssertEqual(Tensor<Float>.elementCount(of: []), 1)
        XCTAssertEqual(Tensor<Float>.elementCount(of: [0, Int.max]), 0)
    }

    // MARK: Model fits data

    func testCalibrationOnDataOfAnotherWidthIsAnErrorNotACrash() throws {
        var generator = SeededGenerator(seed: 1)
        let model = try ModelArchitecture.mlp(sizes: [64, 16, 10]).makeModel(generator: &generator)
        let rows = Tensor<Float>(shape: [8, 4], repeating: 0.5)
        let text = message {
            _ = try StaticQuantization.calibrate(model, data: rows, settings: CalibrationSettings(), pool: ComputePool(threads: 1))
        }
        XCTAssertTrue(text.contains("takes 64 features per sample"), text)
        XCTAssertTrue(text.contains("but the data has 4 (in the calibration rows)"), text)
    }

    // MARK: Special files

    func testFIFODeviceAndFolderAreRefusedByNameWithoutBlocking() throws {
        let fifo = path("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // No writer ever opens the FIFO: reading it must not block.
        XCTAssertTrue(message { _ = try SafetensorsFile.read(from: fifo) }.contains("it is a FIFO (named pipe), not a regular file"))
        XCTAssertTrue(message { _ = try DatasetCatalog.standard().load(fifo) }.contains("FIFO"))
        XCTAssertTrue(message { _ = try SafetensorsFile.read(from: "/dev/zero") }.contains("character device"))
        XCTAssertTrue(message { _ = try SafetensorsFile.read(from: "/dev/urandom") }.contains("character device"))
        XCTAssertTrue(message { _ = try SafetensorsFile.read(from: folder.path) }.contains("folder"))
    }

    func testFileSizeCapComesBeforeReading() throws {
        let big = path("big.csv")
        try Data(repeating: UInt8(ascii: "1"), count: 4096).write(to: URL(fileURLWithPath: big))
        do {
            _ = try readFileBytes(atPath: big, limit: 1000)
            XCTFail("read a file over the limit")
        } catch {
            guard case let .unreadable(reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "it is 4 KiB, beyond the limit of 1000 bytes for a file read whole")
        }
        XCTAssertEqual(try readFileBytes(atPath: big, limit: 4096).count, 4096)
    }

    // MARK: Corrupt model files

    /// A safetensors file of `header` JSON and `data` bytes.
    func safetensors(_ header: String, data: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        var length = UInt64(header.utf8.count)
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length)); length >>= 8 }
        return bytes + Array(header.utf8) + data
    }

    func modelFile(architecture: String, weight: [Float], bias: [Float], mask: [UInt8]? = nil,
                   shape: [Int] = [3, 4]) -> [UInt8] {
        var data: [UInt8] = []
        for value in weight + bias { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        let weightBytes = weight.count * 4
        var header = #"{"__metadata__":{"slimlab.architecture":"# + jsonQuoted(architecture)
        if mask != nil { header += #","slimlab.masks":"fc1.weight""# }
        header += #"},"fc1.weight":{"dtype":"F32","shape":[\#(shape[0]),\#(shape[1])],"data_offsets":[0,\#(weightBytes)]},"#
        header += #""fc1.bias":{"dtype":"F32","shape":[\#(shape[0])],"data_offsets":[\#(weightBytes),\#(weightBytes + bias.count * 4)]}"#
        if let mask {
            let start = weightBytes + bias.count * 4
            header += #","fc1.weight_mask":{"dtype":"U8","shape":[\#(shape[0]),\#(shape[1])],"data_offsets":[\#(start),\#(start + mask.count)]}"#
            data += mask
        }
        return safetensors(header + "}", data: data)
    }

    let denseArchitecture = #"{"inputShape":[4],"layers":[{"attributes":{"in":"4","out":"3"},"kind":"dense","name":"fc1"}]}"#

    func decode(_ bytes: [UInt8]) -> String {
        message { _ = try ModelFile.decode(try SafetensorsFile(decoding: bytes, path: "m.safetensors"), path: "m.safetensors") }
    }

    func testAGoodHandMadeFileLoads() {
        XCTAssertEqual(decode(modelFile(architecture: denseArchitecture, weight: Array(repeating: 0.5, count: 12),
                                        bias: [0, 0, 0], mask: Array(repeating: 1, count: 12))), "(no error)")
    }

    func testNaNInfinityAndNonBinaryMasksAreRefused() {
        var weight = Array(repeating: Float(0.5), count: 12)
        weight[5] = .nan
        XCTAssertEqual(decode(modelFile(architecture: denseArchitecture, weight: weight, bias: [0, 0, 0])),
                       "'m.safetensors': tensor fc1.weight holds NaN at element 5; a model's parameters must be finite numbers (the file is damaged)")
        XCTAssertTrue(decode(modelFile(architecture: denseArchitecture, weight: Array(repeating: 0.5, count: 12),
                                       bias: [0, -.infinity, 0])).contains("fc1.bias holds infinity at element 1"))
        var mask = [UInt8](repeating: 1, count: 12)
        mask[2] = 7
        XCTAssertEqual(decode(modelFile(architecture: denseArchitecture, weight: Array(repeating: 0.5, count: 12),
                                        bias: [0, 0, 0], mask: mask)),
                       "'m.safetensors': mask fc1.weight_mask holds 7 at element 2; a pruning mask holds only 0 (pruned) and 1 (kept)")
    }

    func testEmptyArchitectureAndAbsurdSizesInMetadataAreRefused() {
        let empty = decode(modelFile(architecture: #"{"inputShape":[4],"layers":[]}"#,
                                     weight: Array(repeating: 0.5, count: 12), bias: [0, 0, 0]))
        XCTAssertTrue(empty.contains("a model needs at least one layer"), empty)
        let huge = #"{"inputShape":[4],"layers":[{"attributes":{"in":"4","out":"999999999999"},"kind":"dense","name":"fc1"}]}"#
        let text = decode(modelFile(architecture: huge, weight: Array(repeating: 0.5, count: 12), bias: [0, 0, 0]))
        XCTAssertTrue(text.contains("would need"), text)
        XCTAssertTrue(text.contains("the limit is 4 GiB"), text)
    }

    func testArchitectureErrorsAreInWordsWithoutDecoderInternals() {
        let cases = [
            #"{"inputShape":[4]}"#: "'layers' is missing",
            #"{"inputShape":[4],"layers":[{"kind":"dense","name":7,"attributes":{}}]}"#: "layers[0].name should be a string",
            #"{"inputShape":"4","layers":[]}"#: "inputShape should be a list",
            "{\u{01}\u{1B}[31m": "the text is not valid JSON",
        ]
        for (architecture, expected) in cases {
            let text = decode(modelFile(architecture: architecture, weight: Array(repeating: 0.5, count: 12), bias: [0, 0, 0]))
            XCTAssertTrue(text.contains(expected), text)
            XCTAssertFalse(text.contains("DecodingError") || text.contains("CodingKeys") || text.contains("Context("), text)
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 }, text)
        }
    }

    func testLongArchitecturesReadInLinearTime() throws {
        // 100,000 ReLU layers: refused by the layer limit after reading, and reading the
        // 4 MB of escaped JSON must take one pass (it took minutes when each escape copied
        // the string). The work is measured in bytes copied, not in seconds.
        let layers = (0..<100_000).map { #"{"attributes":{},"kind":"relu","name":"r\#($0)"}"# }.joined(separator: ",")
        let architecture = #"{"inputShape":[4],"layers":["# + layers
            + #",{"attributes":{"in":"4","out":"3"},"kind":"dense","name":"fc1"}]}"#
        let bytes = modelFile(architecture: architecture, weight: Array(repeating: 0.5, count: 12), bias: [0, 0, 0])
        let file = try SafetensorsFile(decoding: bytes)
        XCTAssertEqual(file.metadata[ModelFile.Key.architecture], architecture)
        XCTAssertEqual(decode(bytes), "'m.safetensors': the architecture in its metadata is unusable: a model of 100001 layers is beyond the limit of 10000 layers")
    }

    func testExcerptsEscapeControlBytesAndStayShort() {
        XCTAssertEqual(TextExcerpt.plain("a\u{0}b\u{1B}[31mc\n"), "a\\u{0}b\\u{1B}[31mc\\n")
        XCTAssertEqual(TextExcerpt.plain(String(repeating: "x", count: 1_000_000), limit: 10), "xxxxxxxxxx…")
        XCTAssertEqual(TextExcerpt.message("one\ntwo\u{7}"), "one\ntwo\\u{7}")
        XCTAssertEqual(TextExcerpt.bytes([0x41, 0xFF, 0x00]), "A�\\u{0}")
    }

    // MARK: Saving

    func testSaveFailuresAreToldInWordsAndLeftoversAreRemoved() throws {
        let missing = message { try AtomicFile.write("x", to: URL(fileURLWithPath: path("no/such/folder/m.safetensors"))) }
        XCTAssertTrue(missing.contains("the folder '\(path("no/such/folder"))' does not exist; create it first"), missing)
        XCTAssertFalse(missing.contains("NSCocoaErrorDomain"), missing)
        let onFolder = message { try AtomicFile.write("x", to: folder) }
        XCTAssertFalse(onFolder.contains("NSCocoaErrorDomain"), onFolder)
        // A save never replaces a FIFO or a device (as root, renaming over /dev/null would).
        let fifo = path("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let onFIFO = message { try AtomicFile.write("x", to: URL(fileURLWithPath: fifo)) }
        XCTAssertTrue(onFIFO.contains("is a FIFO (named pipe), not a regular file"), onFIFO)
        var status = stat()
        XCTAssertEqual(stat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO)

        // A save killed before its rename left temporary files of dead processes (and one of
        // a live process, which must stay: it may be saving right now).
        let target = URL(fileURLWithPath: path("model.safetensors"))
        let dead = AtomicFile.temporaryPath(for: target, process: 999_999_999)
        let live = AtomicFile.temporaryPath(for: target, process: getppid())
        let other = path(".other.safetensors.999999999.tmp")
        for leftover in [dead, live, other] { try Data("half".utf8).write(to: URL(fileURLWithPath: leftover)) }
        try AtomicFile.write("whole", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "whole")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live))
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
        XCTAssertFalse(FileManager.default.fileExists(atPath: AtomicFile.temporaryPath(for: target, process: getpid())))
    }

    // MARK: Resource folders

    func testResourceSearchOrderBesideBinaryThenPrefixShareThenHome() throws {
        let prefix = folder.appendingPathComponent("prefix")
        let share = prefix.appendingPathComponent("share/slimlab/Lessons")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        let binary = prefix.appendingPathComponent("bin/slimlab").path
        let home = folder.appendingPathComponent("home/Lessons")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        func locate(_ environment: [String: String]) throws -> String {
            try ResourceFolder.locate("Lessons", environmentVariable: "SLIMLAB_LESSONS", environment: environment,
                                      executablePath: binary, currentDirectory: "/").path
        }
        XCTAssertEqual(try locate([:]), share.path)
        XCTAssertEqual(try locate(["SLIMLAB_LESSONS": home.path]), home.path)
        try FileManager.default.removeItem(at: share)
        XCTAssertEqual(try locate(["SLIMLAB_HOME": folder.appendingPathComponent("home").path]), home.path)
        let text = message { _ = try locate([:]) }
        XCTAssertTrue(text.contains(prefix.appendingPathComponent("share/slimlab/Lessons").path), text)
    }
}
