import XCTest
import Foundation
@testable import SlimREPL
import SlimLab
import SlimKernels

/// Drives the built `slimlab` binary through a pipe, `--script` and `-c`, as a user's
/// shell would, and checks transcripts and exit codes.
final class BinaryTests: XCTestCase {
    struct Result {
        var output: String
        var errors: String
        var status: Int32
    }

    /// The `slimlab` executable in the build products directory, beside the test bundle.
    static var binary: URL? {
        var candidates: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in candidates {
            var url = directory
            for _ in 0..<4 {
                let binary = url.appendingPathComponent("slimlab")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: binary.path) {
                    return binary
                }
                url = url.deletingLastPathComponent()
            }
        }
        return nil
    }

    func run(_ arguments: [String], input: String = "", environment extra: [String: String] = [:]) throws -> Result {
        let binary = try XCTUnwrap(Self.binary, "slimlab binary not found next to the test bundle")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        environment["SLIMLAB_HISTORY"] = NSTemporaryDirectory() + "slimlab-binary-tests-history"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self),
                      status: process.terminationStatus)
    }

    private var overview: String { HelpRenderer(registry: .standard).overview() }

    func testPipedHelpThenMisspellingPrintsTheListThenDidYouMeanAndExits1() throws {
        let result = try run([], input: "help\ntrian\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.hasPrefix("slimlab> help\n" + overview + "\nslimlab> trian\nerror: unknown command 'trian'"),
                      result.output)
        if CommandRegistry.standard.lookup("train") != nil {
            XCTAssertTrue(result.output.hasSuffix("error: unknown command 'trian' — did you mean 'train'?\n"))
        }
        XCTAssertEqual(result.errors, "")
    }

    func testPipedTranscriptStopsAtTheFirstError() throws {
        let result = try run([], input: "set seed=3\n\n# a comment\nhlep\nset seed=4\n")
        XCTAssertEqual(result.output, """
            slimlab> set seed=3
            seed: 0 → 3
            slimlab> hlep
            error: unknown command 'hlep' — did you mean 'help'?

            """)
        XCTAssertEqual(result.status, 1)
    }

    func testKeepGoingRunsEveryLineButStillFails() throws {
        let result = try run(["--keep-going"], input: "set precision=20\nset precision=2\n")
        XCTAssertEqual(result.output, """
            slimlab> set precision=20
            error: precision=20 is out of range (allowed: 0…12)
            slimlab> set precision=2
            precision: 4 → 2

            """)
        XCTAssertEqual(result.status, 1)
    }

    func testScriptFile() throws {
        let path = NSTemporaryDirectory() + "slimlab-test-\(getpid()).slimlab"
        try "# set up\nset seed=42 pause=on\nset\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run(["--script", path, "--no-color"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.output.hasPrefix("""
            slimlab> set seed=42 pause=on
            seed: 0 → 42
            pause: off → on
            slimlab> set
            seed       42
            threads    
            """), result.output)
        XCTAssertTrue(result.output.hasSuffix("color      off\nprecision  4\npause      on\n"), result.output)

        let missing = try run(["--script", path + ".missing"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.errors, "slimlab: cannot read script '\(path).missing': No such file or directory\n")
    }

    func testCommandsFromDashC() throws {
        let result = try run(["-c", "set seed=5; help quit ; quit; set seed=6"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, """
            slimlab> set seed=5
            seed: 0 → 5
            slimlab> help quit
            quit — leave SlimLab

            usage: quit
            also:  exit

            Ctrl-D at the prompt also leaves. The command history is saved either way.

            examples:
              quit
            slimlab> quit

            """)
        let failing = try run(["-c", "set color=purple; set seed=1", "-k"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.output.contains("error: color=purple is not one of auto, on, off\nslimlab> set seed=1\nseed: 0 → 1\n"))
    }

    func testBinaryPrintsWhatTheTranscriptRunnerReturns() throws {
        let lines = ["set seed=9 precision=3", "help set", "set pause=yes", "history", "bogus", "set seed=1"]
        let binary = try run(["--keep-going"], input: lines.joined(separator: "\n") + "\n")
        let transcript = Session.scripted().transcript(of: lines)
        XCTAssertEqual(binary.output, transcript.text)
    }

    func testColorsNeverGoIntoAPipeUnlessForced() throws {
        XCTAssertFalse(try run([], input: "bogus\n").output.contains("\u{1B}"))
        let forced = try run([], input: "set color=on\nbogus\n")
        XCTAssertTrue(forced.output.contains("\u{1B}[1;31merror:\u{1B}[0m unknown command 'bogus'"))
    }

    func testVersionHelpAndBadArguments() throws {
        let version = try run(["--version"])
        XCTAssertEqual(version.output, "slimlab \(slimLabVersion)\n\(kernelDescription(threads: ComputePool.availableCores))\n")
        XCTAssertEqual(version.status, 0)
        let help = try run(["--help"])
        XCTAssertTrue(help.output.hasPrefix("usage: slimlab [--no-color] [--keep-going] [--script FILE | -c \"COMMAND; COMMAND\"]\n"))
        XCTAssertEqual(help.status, 0)
        let bad = try run(["--kep-going"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.errors.hasPrefix("slimlab: unknown argument '--kep-going' — did you mean '--keep-going'?\n"), bad.errors)
        let noValue = try run(["-c"])
        XCTAssertEqual(noValue.status, 2)
        XCTAssertTrue(noValue.errors.hasPrefix("slimlab: -c needs a value\n"))
    }

    func testEmptyInputExitsCleanly() throws {
        let result = try run([], input: "")
        XCTAssertEqual(result.output, "")
        XCTAssertEqual(result.status, 0)
    }
}
