import XCTest
@testable import SlimREPL

final class TokenizerTests: XCTestCase {
    func testPlainWordsAndKeyValues() throws {
        let words = try CommandLineTokenizer.words("  train   epochs=10 lr=0.1\tfast ")
        XCTAssertEqual(words.map(\.text), ["train", "epochs=10", "lr=0.1", "fast"])
        XCTAssertEqual(words.map(\.key), [nil, "epochs", "lr", nil])
        XCTAssertEqual(words.map(\.value), [nil, "10", "0.1", nil])
    }

    func testQuotesKeepSpacesAndAreRemoved() throws {
        let words = try CommandLineTokenizer.words(#"distill student="mlp 64-16-10" note='it''s' "a b""#)
        XCTAssertEqual(words.map(\.text), ["distill", "student=mlp 64-16-10", "note=its", "a b"])
        XCTAssertEqual(words[1].key, "student")
        XCTAssertEqual(words[1].value, "mlp 64-16-10")
        XCTAssertNil(words[3].key)
    }

    func testEqualsInsideQuotesIsNotAKey() throws {
        let words = try CommandLineTokenizer.words(#""seed=3" 'a'=b x=y=z"#)
        XCTAssertNil(words[0].key)
        XCTAssertEqual(words[0].text, "seed=3")
        XCTAssertNil(words[1].key, "a quoted key is not a key")
        XCTAssertEqual(words[2].key, "x")
        XCTAssertEqual(words[2].value, "y=z")
    }

    func testEscapes() throws {
        let words = try CommandLineTokenizer.words(#"a\ b "q\"uote" 'back\slash' c\=d"#)
        XCTAssertEqual(words.map(\.text), ["a b", "q\"uote", "back\\slash", "c=d"])
        XCTAssertNil(words[3].key)
    }

    func testEmptyQuotedWordIsAWord() throws {
        let words = try CommandLineTokenizer.words(#"name="" x"#)
        XCTAssertEqual(words.map(\.text), ["name=", "x"])
        XCTAssertEqual(words[0].value, "")
    }

    func testUnterminatedQuoteIsAnError() {
        XCTAssertThrowsError(try CommandLineTokenizer.words(#"load "my file"#)) { error in
            XCTAssertEqual(error as? CommandError, .unterminatedQuote("\""))
            XCTAssertEqual("\(error)", "unterminated quote: \" opened and never closed")
        }
        XCTAssertEqual(CommandLineTokenizer.wordsLeniently(#"load "my fi"#).map(\.text), ["load", "my fi"])
    }

    func testSplitCommandsAtSemicolonsOutsideQuotes() {
        XCTAssertEqual(CommandLineTokenizer.splitCommands(#"help; set seed=1 ;; note="a;b"; "#),
                       ["help", "set seed=1", #"note="a;b""#])
        XCTAssertEqual(CommandLineTokenizer.splitCommands("  "), [])
    }
}
