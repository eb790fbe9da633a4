import XCTest
@testable import SlimLab

final class SafetensorsJSONTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    private func assertParseError(_ text: String, offset: Int, _ reason: String, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), line: line) { error in
            XCTAssertEqual(error as? JSONParseError, JSONParseError(offset: offset, reason: reason), line: line)
        }
    }

    func testValues() throws {
        XCTAssertEqual(try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {}} "#),
                       .object([("a", .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
                                ("b", .object([]))]))
        XCTAssertEqual(try parse("[]"), .array([]))
        XCTAssertEqual(try parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 é""#), .string("a\"\\/\u{08}\u{0C}\n\r\té😀 é"))
        XCTAssertEqual(JSONValue.number("18446744073709551615").nonNegativeInteger, nil)
        XCTAssertEqual(JSONValue.number("9007199254740993").nonNegativeInteger, 9007199254740993)
        XCTAssertEqual(JSONValue.number("1.0").nonNegativeInteger, nil)
        XCTAssertEqual(JSONValue.number("-1").nonNegativeInteger, nil)
    }

    func testErrorsSayWhereAndWhat() {
        assertParseError(#"{"a" 1}"#, offset: 5, "expected ':' after a key, found '1'")
        assertParseError(#"{"a":1,}"#, offset: 7, "expected a key in quotes, found '}'")
        assertParseError("[1 2]", offset: 3, "expected ',' or ']' in an array, found '2'")
        assertParseError("[01]", offset: 1, "numbers must not have leading zeros")
        assertParseError("[1.]", offset: 3, "expected digits after the decimal point")
        assertParseError("\"abc", offset: 4, "a string has no closing quote")
        assertParseError("\"a\nb\"", offset: 2, "a string holds a raw control character (byte 0xa); it must be escaped")
        assertParseError(#""\x""#, offset: 2, "unknown escape \\'x'")
        assertParseError(#""\ud83d""#, offset: 7, "a \\u escape holds half of a surrogate pair")
        assertParseError("{} {}", offset: 3, "unexpected text after the end of the value")
        assertParseError("tru", offset: 0, "expected a value, found 't'")
        assertParseError(String(repeating: "[", count: 65) + String(repeating: "]", count: 65), offset: 64,
                         "nested more than 64 levels deep")
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0x22])) { error in
            XCTAssertEqual(error as? JSONParseError, JSONParseError(offset: 1, reason: "a string holds bytes that are not UTF-8"))
        }
    }

    func testQuotingMatchesSerdeJSON() {
        XCTAssertEqual(jsonQuoted("plain"), "\"plain\"")
        XCTAssertEqual(jsonQuoted("a\"b\\c\n\t\u{01}é"), #""a\"b\\c\n\t\u0001é""#)
        let round = "x\u{1F}\"\\\r/😀"
        XCTAssertEqual(try parse(jsonQuoted(round)), .string(round))
    }
}
