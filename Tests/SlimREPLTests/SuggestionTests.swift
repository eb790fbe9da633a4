import XCTest
@testable import SlimREPL

final class SuggestionTests: XCTestCase {
    func testEditDistance() {
        XCTAssertEqual(Suggestion.editDistance("", "abc"), 3)
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.editDistance("trian", "train"), 1, "a transposition is one edit")
        XCTAssertEqual(Suggestion.editDistance("hlep", "help"), 1)
        XCTAssertEqual(Suggestion.editDistance("same", "same"), 0)
        XCTAssertEqual(Suggestion.editDistance("ca", "abc"), 3, "optimal string alignment, not full Damerau")
    }

    func testClosest() {
        let commands = ["help", "set", "history", "quit", "exit", "train", "prune", "quantize"]
        XCTAssertEqual(Suggestion.closest(to: "hlep", among: commands), "help")
        XCTAssertEqual(Suggestion.closest(to: "trian", among: commands), "train")
        XCTAssertEqual(Suggestion.closest(to: "histroy", among: commands), "history")
        XCTAssertEqual(Suggestion.closest(to: "quant", among: commands), "quantize", "unique prefix")
        XCTAssertEqual(Suggestion.closest(to: "QUIT", among: commands), "quit", "case-insensitive")
        XCTAssertNil(Suggestion.closest(to: "xyz", among: commands))
        XCTAssertEqual(Suggestion.closest(to: "st", among: ["set", "start"]), "set", "one insertion")
        XCTAssertNil(Suggestion.closest(to: "sx", among: ["set", "start"]), "two edits is too far for a short word")
        XCTAssertEqual(Suggestion.closest(to: "epoch", among: ["epochs", "lr"]), "epochs")
        XCTAssertEqual(Suggestion.closest(to: "optimzr", among: ["optimizer", "epochs"]), "optimizer", "two edits in a long word")
        XCTAssertNil(Suggestion.closest(to: "abcd", among: ["abxy"]), "two edits in a short word")
    }
}
