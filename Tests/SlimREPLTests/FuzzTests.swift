import XCTest
import Foundation
import SlimKernels
@testable import SlimREPL

/// Thousands of generated lines through the real `slimlab` binary — valid commands with
/// mutated values, junk bytes, unicode, over-long lines, model/data mismatches, absurd sizes,
/// special files, and the newer families (clustering, Deep Compression, search, diagnose,
/// export, plots, sessions, a Fashion-MNIST subset, the LeNets) — failing on any crash, any
/// hang and any line that gets no output. The seed is fixed, so a failure replays;
/// `scripts/fuzz.py` runs the same idea harder. Every path a line writes to is a name inside a
/// fresh temporary folder (the sessions run there, HOME too), and writing lines are never
/// mutated: an earlier fuzzer, run as root, replaced /dev/null through a save.
final class FuzzTests: XCTestCase {
    struct Outcome {
        var output: String
        var status: Int32
        var exited: Bool
        var timedOut: Bool
    }

    /// The child's pipes and what was read, shared with the threads that serve them (each
    /// field is touched by one thread, then read after that thread signalled).
    final class Streams: @unchecked Sendable {
        let input: FileHandle
        let output: FileHandle
        var read = Data()
        init(input: FileHandle, output: FileHandle) {
            self.input = input
            self.output = output
        }
    }

    var folder: URL!
    var fifo: String { folder.appendingPathComponent("fifo").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: fifo) { XCTAssertEqual(mkfifo(fifo, 0o600), 0) }
        try Data([0x10, 0, 0, 0, 0, 0, 0, 0] + Array(#"{"a":1}"#.utf8) + [0, 1, 2, 3, 4, 5, 6])
            .write(to: folder.appendingPathComponent("corrupt.safetensors"))
        try Data((0..<1024).map { UInt8($0 % 256) }).write(to: folder.appendingPathComponent("junk.csv"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `lines` through `slimlab --keep-going` from a pipe; kills it after `timeout` seconds.
    func run(_ lines: [String], timeout: Double = 60) throws -> Outcome {
        let binary = try XCTUnwrap(BinaryTests.binary, "slimlab binary not found next to the test bundle")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--keep-going"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["SLIMLAB_HISTORY"] = folder.appendingPathComponent("history").path
        environment["HOME"] = folder.path
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        // Writing and reading on their own threads: a long input must not wait for the
        // output pipe to be drained, nor the other way round.
        let streams = Streams(input: stdin.fileHandleForWriting, output: stdout.fileHandleForReading)
        DispatchQueue.global().async {
            try? streams.input.write(contentsOf: input)
            try? streams.input.close()
        }
        let reading = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            streams.read = streams.output.readDataToEndOfFile()
            reading.signal()
        }
        let timedOut = finished.wait(timeout: .now() + timeout) == .timedOut
        if timedOut {
            process.terminate()
            finished.wait()
        }
        reading.wait()
        return Outcome(output: String(decoding: streams.read, as: UTF8.self), status: process.terminationStatus,
                       exited: process.terminationReason == .exit, timedOut: timedOut)
    }

    /// The lines (as echoed: trimmed, blanks and comments left out) whose echo is followed by
    /// no output before the next echo; nil when an echo is missing.
    static func silentLines(_ lines: [String], output: String) -> [String]? {
        var out = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if out.last == "" { out.removeLast() }
        let expected = lines.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        // Compared as UTF-8 bytes: a line starting with a combining mark joins the prompt's
        // last space into one Character, so character-wise matching would miss its echo.
        // A long line's echo wraps at the transcript's width with a two-space hanging indent:
        // the echo is then the prompt line plus the continuation lines that are part of it.
        func echoLength(at position: Int, of line: String) -> Int? {
            let bytes = Array(out[position].utf8), lineBytes = Array(line.utf8)
            let marker = Array("> ".utf8)
            guard bytes.starts(with: Array("slimlab".utf8)),
                  let end = (0...(max(0, bytes.count - marker.count))).first(where: { bytes[$0...].starts(with: marker) })
            else { return nil }
            let prompt = String(decoding: bytes[..<(end + marker.count)], as: UTF8.self)
            guard prompt == "slimlab> " || (prompt.hasPrefix("slimlab[") && prompt.hasSuffix("]> ")) else { return nil }
            var rest = Array(bytes[(end + marker.count)...])
            if rest == lineBytes { return 1 }
            while rest.last == UInt8(ascii: " ") { rest.removeLast() }
            guard !rest.isEmpty, lineBytes.starts(with: rest) else { return nil }
            var count = 1
            while position + count < out.count, out[position + count].hasPrefix("  "),
                  line.utf8.count > 0, String(out[position + count].dropFirst(2)).isEmpty == false,
                  line.contains(String(out[position + count].dropFirst(2))) {
                count += 1
            }
            return count
        }
        var echoes: [Int] = []
        var lengths: [Int] = []
        var position = 0
        for line in expected {
            var length: Int?
            while position < out.count {
                length = echoLength(at: position, of: line)
                if length != nil { break }
                position += 1
            }
            guard position < out.count, let length else { return nil }
            echoes.append(position)
            lengths.append(length)
            position += length
        }
        var silent: [String] = []
        for (index, start) in echoes.enumerated() {
            let end = index + 1 < echoes.count ? echoes[index + 1] : out.count
            if end - start <= lengths[index] { silent.append(expected[index]) }
        }
        return silent
    }

    // MARK: Generating lines

    struct LineGenerator {
        var random: SeededGenerator
        /// Paths to read (any path is fine for reading).
        let files: [String]
        /// Names to write to: all inside the session's folder.
        static let targets = ["saved.safetensors", "m.onnx", "ref.csv", "sess", "plot.svg", "deep.sldc", "fifo",
                              "corrupt.safetensors", "missing/x.onnx"]

        mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        mutating func chance(_ p: Double) -> Bool { Double(random.next() % 1000) < p * 1000 }

        mutating func number(_ usual: [String]) -> String {
            chance(0.35) ? pick(["0", "-1", "1e308", "nan", "inf", "99999999999999999999", "9223372036854775807",
                                 "4294967296", "2147483647", "100000000", "10^12", "", "abc", "1.5", "١٢"])
                : pick(usual)
        }

        mutating func sizes() -> String {
            var parts = [pick(["64", "4", "2"]), pick(["8", "16", "3"]), pick(["10", "3", "2"])]
            if chance(0.3) { parts[Int(random.next() % 3)] = pick(["100000000", "9223372036854775807", "0", "x", ""]) }
            return parts.joined(separator: "-")
        }

        /// A command, and whether it writes a file (such lines are never mutated).
        mutating func command() -> (line: String, writes: Bool) {
            let datasets = ["digits", "iris", "spirals", "moons", "xor", "nosuch", "digits val=0.2",
                            "fashion-mnist n=300 val=0.1"]
            let names = ["mlp", "mlp-2", "int8", "student", "p", "x", "lenet300", "mlp-search", "mlp-deep"]
            let target = pick(Self.targets)
            switch random.next() % 46 {
            case 0: return ("data load \(pick(datasets + files))", false)
            case 1: return ("data load \(pick(datasets)) test=\(number(["0.25", "0.5"]))", false)
            case 2: return ("data info", false)
            case 3: return ("data show \(number(["0", "3"]))", false)
            case 4, 5: return ("model new mlp \(sizes())", false)
            case 6: return ("model new mlp \(sizes()) name=\(pick(names))", false)
            case 7: return ("model list", false)
            case 8: return ("model use \(pick(names))", false)
            case 9: return ("model summary", false)
            case 10: return ("model save \(pick(names)) \(target)", true)
            case 11: return ("model load \(pick(files + Self.targets))", false)
            case 12: return ("model drop \(pick(names))", false)
            case 13, 14: return ("train epochs=\(number(["1", "2"])) batch=\(number(["32", "8"]))", false)
            case 15: return ("eval", false)
            case 16: return ("predict \(number(["0", "2"]))", false)
            case 17: return ("trace \(number(["0"]))", false)
            case 18: return ("show \(pick(["fc1.weight", "fc1.out", "nope"]))", false)
            case 19: return ("prune magnitude sparsity=\(number(["0.5", "0.9"])) as=\(pick(names))", false)
            case 20: return ("prune structured ratio=\(number(["0.25"]))", false)
            case 21: return ("quantize bits=\(number(["8", "4"]))", false)
            case 22: return ("quantize samples=\(number(["32", "1000000000000"]))", false)
            case 23: return ("quantize weights-only=\(pick(["yes", "no"])) format=\(pick(["q8_0", "q4_0", "q9"]))", false)
            case 24: return ("qat bits=\(number(["4"])) epochs=1", false)
            case 25: return ("distill teacher=\(pick(names)) student=\"mlp \(sizes())\" epochs=1", false)
            case 26: return ("compare", false)
            // bench times its kernels (about 0.2 s a line, valid but slow): rarely.
            case 27: return chance(0.2) ? ("bench batch=\(number(["16", "65536"]))", false) : ("model list", false)
            case 28: return ("set seed=\(number(["1"])) max-memory=\(pick(["1G", "4G", "0", "x", "99999999T"]))", false)
            case 29: return ("formula \(pick(["softmax", "kd", "nope"]))", false)
            case 30: return ("help \(pick(["train", "model new", "search", "nope"]))", false)
            case 31: return (pick([";", ";;", " ; ; ", "# comment", ""]), false)
            case 32: return ("finetune epochs=1", false)
            case 33: return ("model new \(pick(["lenet300", "lenet5", "cnn"]))", false)
            case 34: return ("cluster k=\(number(["4", "16"])) init=\(pick(["linear", "density", "kmeans++", "x"]))", false)
            case 35: return ("compress deep sparsity=\(number(["0.9"])) k=\(number(["4", "16"]))"
                             + (chance(0.5) ? " file=\(target)" : ""), true)
            case 36: return ("search budget=\(pick(["edge", "phone", "cloud", "2KiB", "0", "x", "1e30"]))"
                             + pick(["", " over=bits", " strategy=fallback", " finetune=\(number(["1", "0"]))", " max-drop=\(number(["0.5"]))"]), false)
            case 37: return ("diagnose \(pick(names)) \(pick(names))", false)
            case 38: return ("model export \(pick(names)) \(target)" + (chance(0.5) ? " reference=\(pick(Self.targets))" : ""), true)
            case 39: return ("plot \(pick(["training", "sensitivity", "compare", "calibration", "activations", "mask", "bits", "x"]))"
                             + (chance(0.3) ? " svg=\(target)" : ""), true)
            case 40: return ("session save \(target)", true)
            case 41: return ("session load \(pick(Self.targets + files))" + (chance(0.5) ? " replace=yes" : ""), false)
            case 42: return ("set max-work=\(pick(["1M", "1G", "0", "x", "99999999999P"]))", false)
            case 43: return ("train epochs=\(pick(["100000", "50000"]))", false)
            case 44: return (pick(["lesson list", "lesson open 0", "next", "back", "hint", "skip", "lesson close"]), false)
            default: return ("history 3", false)
            }
        }

        mutating func junk() -> String {
            switch random.next() % 4 {
            case 0: return String((0..<8).map { _ in Character(Unicode.Scalar(UInt8(1 + random.next() % 30))) }
                .filter { $0 != "\n" && $0 != "\r" && !$0.isWhitespace })
            case 1: return String((0..<10).map { _ in pick(Array("αβ日本🙂\u{200B}\u{301}ÿ€")) })
            case 2: return pick(["train", "model new mlp", "data load", "search budget="]) + " " + String(repeating: "x", count: 100_000)
            default: return String((0..<10).map { _ in pick(Array("\"'=;# \\-,.")) })
            }
        }

        mutating func mutated(_ line: String) -> String {
            guard !line.isEmpty, chance(0.25) else { return line }
            var characters = Array(line)
            let at = Int(random.next() % UInt64(characters.count))
            switch random.next() % 3 {
            case 0: characters.remove(at: at)
            case 1: characters.insert(pick(Array("=;\"' -x0")), at: at)
            default: characters.insert(contentsOf: Array(junk().prefix(12)), at: at)
            }
            return String(characters)
        }

        static let mismatches = [
            ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris", "quantize"],
            ["data load digits", "model new mlp 64-16-10", "train epochs=1", "data load iris", "qat bits=4 epochs=1"],
            ["data load iris", "model new mlp 4-8-3", "train epochs=1", "data load digits", "compare", "bench",
             "prune sensitivity", "finetune epochs=1", "predict 0", "trace 0", "eval", "quantize samples=8",
             "distill teacher=mlp student=\"mlp 64-10\" epochs=1", "search budget=edge", "diagnose mlp mlp",
             "cluster k=4", "compress deep", "plot activations", "model export mlp m.onnx reference=ref.csv"],
            ["data load spirals", "model new mlp 2-8-2", "data load blobs", "quantize", "qat epochs=1", "compare"],
            ["data load fashion-mnist n=300 val=0.1", "model new lenet300", "train epochs=1", "search budget=edge finetune=1",
             "diagnose lenet300 lenet300-search", "data load digits", "search budget=edge", "compress deep", "plot bits"],
            ["data load digits val=0.2", "model new mlp 64-32-10 name=mlp", "train epochs=2", "quantize as=int8",
             "diagnose mlp int8", "session save sess", "model drop int8", "session load sess replace=yes", "model list",
             "data load iris", "session load sess", "diagnose mlp int8", "cluster k=4 as=c", "compress deep file=deep.sldc"],
        ]

        mutating func lines(_ count: Int) -> [String] {
            var lines: [String] = []
            while lines.count < count {
                if chance(0.06) {
                    lines += pick(Self.mismatches)
                } else if chance(0.12) {
                    lines.append(junk())
                } else {
                    let (line, writes) = command()
                    lines.append(writes ? line : mutated(line))
                }
            }
            return Array(lines.prefix(count))
        }
    }

    // MARK: The test

    func testGeneratedLinesNeverCrashHangOrPassSilently() throws {
        var generator = LineGenerator(random: SeededGenerator(seed: 13),
                                      files: ["/dev/zero", "/dev/urandom", fifo, folder.path, "/nonexistent/m",
                                              "corrupt.safetensors", "junk.csv", "/proc/self/status"])
        let lines = generator.lines(2400)
        let sessionLength = 100
        var silent: [String] = []
        for start in stride(from: 0, to: lines.count, by: sessionLength) {
            // Valid but long work (train epochs=100000 on digits) is refused by a lower work
            // limit, so that a slow line means a hang.
            let session = ["set max-work=100G"] + Array(lines[start..<min(lines.count, start + sessionLength)])
            let outcome = try run(session)
            let replay = session.map { String($0.prefix(100)) }.joined(separator: "\n")
            XCTAssertFalse(outcome.timedOut, "hang in lines \(start)..<\(start + session.count):\n\(replay)")
            let clean = outcome.exited && (outcome.status == 0 || outcome.status == 1)
            XCTAssertTrue(clean,
                          "status \(outcome.status) (crash) in lines \(start)..<\(start + session.count):\n\(replay)\n"
                          + String(outcome.output.suffix(400)))
            guard !outcome.timedOut, clean else { continue }
            guard let found = Self.silentLines(session, output: outcome.output) else {
                XCTFail("a line's echo is missing in lines \(start)..<\(start + session.count):\n\(replay)")
                continue
            }
            silent += found
        }
        XCTAssertEqual(silent.map { String($0.prefix(80)) }, [], "lines that printed nothing")
    }

    func testSilentLineDetectionFindsAnEmptyEchoAndOnlyThat() {
        let output = "slimlab> a\nout\nslimlab> b\nslimlab[m]> c\nmore\n"
        XCTAssertEqual(Self.silentLines(["a", "b", "c"], output: output), ["b"])
        XCTAssertEqual(Self.silentLines(["a", "b", "c", "d"], output: output), nil)
        XCTAssertEqual(Self.silentLines(["\u{301}x"], output: "slimlab> \u{301}x\nout\n"), [])
    }
}
