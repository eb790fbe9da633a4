import XCTest
import Foundation
@testable import SlimREPL

final class CompletionTests: XCTestCase {
    var completer: Completer!

    override func setUp() {
        let registry = CommandRegistry.sample
        let names: [NameKind: [String]] = [
            .variant: ["baseline", "pruned-80", "int8"], .tensor: ["fc1.weight", "fc1.bias", "fc2.weight"],
            .dataset: ["digits", "iris"], .command: registry.commandWords,
        ]
        completer = Completer(registry: registry, names: { names[$0] ?? [] })
        completer.listDirectory = { directory in
            switch directory {
            case ".": [("Datasets", true), ("data.csv", false), (".hidden", false), ("README.md", false)]
            case "Datasets/": [("iris.csv", false), ("digits.csv", false), ("raw", true)]
            default: []
            }
        }
    }

    private func complete(_ line: String) -> [String] {
        let before = line.lastIndex(of: " ").map { String(line[...$0]) } ?? ""
        return completer.candidates(lineBefore: before, word: String(line.dropFirst(before.count)))
    }

    func testCommandNames() {
        XCTAssertEqual(complete("he"), ["help"])
        XCTAssertEqual(complete("h"), ["help", "history"])
        XCTAssertEqual(complete("e"), ["exit"])
        XCTAssertEqual(complete("zz"), [])
        XCTAssertEqual(complete("set seed=1; he"), ["help"], "after a semicolon a new command starts")
        XCTAssertEqual(complete("set note=\"a;b\" p"), ["pager=", "pause=", "precision="], "a quoted semicolon does not")
    }

    func testSubcommands() {
        XCTAssertEqual(complete("model "), ["new", "select", "use"])
        XCTAssertEqual(complete("model n"), ["new"])
        XCTAssertEqual(complete("help model "), ["new", "use"])
        XCTAssertEqual(complete("help tr"), ["train"])
    }

    func testOptionKeysLeaveOutUsedOnes() {
        XCTAssertEqual(complete("train ep"), ["epochs="])
        XCTAssertEqual(complete("set "), ["color=", "max-memory=", "max-work=", "pager=", "pause=", "precision=", "seed=", "threads="])
        XCTAssertEqual(complete("set seed=1 p"), ["pager=", "pause=", "precision="])
        XCTAssertEqual(complete("set pause=on p"), ["pager=", "precision="])
    }

    func testFixedValues() {
        XCTAssertEqual(complete("train optimizer=ad"), ["optimizer=adam", "optimizer=adamw"])
        XCTAssertEqual(complete("train optimizer=s"), ["optimizer=sgd"])
        XCTAssertEqual(complete("set color="), ["color=auto", "color=off", "color=on"])
        XCTAssertEqual(complete("set pause=o"), ["pause=off", "pause=on"])
        XCTAssertEqual(complete("train epochs="), [], "numbers are not completed")
        XCTAssertEqual(complete("train nope="), [])
    }

    func testSessionNames() {
        XCTAssertEqual(complete("train teacher=b"), ["teacher=baseline"])
        XCTAssertEqual(complete("model use p"), ["pruned-80"])
        XCTAssertEqual(complete("train layers=fc1.weight,fc"), ["layers=fc1.weight,fc1.bias", "layers=fc1.weight,fc1.weight", "layers=fc1.weight,fc2.weight"])
        XCTAssertEqual(complete("model new "), ["cnn", "mlp", "name="])
    }

    func testPathsWhereAPathIsExpected() {
        XCTAssertEqual(complete("load d"), ["data.csv", "digits"])
        XCTAssertEqual(complete("load D"), ["Datasets/"])
        XCTAssertEqual(complete("load Datasets/"), ["Datasets/digits.csv", "Datasets/iris.csv", "Datasets/raw/"])
        XCTAssertEqual(complete("load ."), [".hidden"])
        XCTAssertEqual(complete("load iris Datasets/i"), ["Datasets/iris.csv"], "repeated positional")
        XCTAssertEqual(complete("model use "), ["baseline", "int8", "pruned-80"], "no paths for a variant")
    }

    func testRealDirectoryListing() throws {
        let directory = NSTemporaryDirectory() + "slimlab-completion-\(getpid())"
        let files = FileManager.default
        try files.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        XCTAssertTrue(files.createFile(atPath: directory + "/file.txt", contents: Data()))
        defer { try? files.removeItem(atPath: directory) }
        let listing = Completer.systemListing(directory).sorted { $0.name < $1.name }
        XCTAssertEqual(listing.map(\.name), ["file.txt", "sub"])
        XCTAssertEqual(listing.map(\.isDirectory), [false, true])
    }
}
