import XCTest
@testable import SlimREPL

final class TableTests: XCTestCase {
    let comparison = Table(["variant", "params", "accuracy", "note"], rows: [
        ["baseline", "4,810", "97.50%", "the original model"],
        ["pruned-80", "962", "97.10%", "—"],
        ["int8", "4,810", "-0.40", "quantized weights and activations"],
    ], markedRow: 0)

    func testNumbersRightTextLeftRuleAndMarkedRow() {
        XCTAssertEqual(comparison.render(), """
              variant    params  accuracy  note
              ─────────  ──────  ────────  ─────────────────────────────────
            ▸ baseline    4,810    97.50%  the original model
              pruned-80     962    97.10%  —
              int8        4,810     -0.40  quantized weights and activations
            """)
    }

    func testFitsWidthByShorteningTextColumnsWidestFirst() {
        XCTAssertEqual(comparison.render(width: 40), """
              variant    params  accuracy  note
              ─────────  ──────  ────────  ─────────
            ▸ baseline    4,810    97.50%  the orig…
              pruned-80     962    97.10%  —
              int8        4,810     -0.40  quantize…
            """)
        let narrow = comparison.render(width: 30)
        XCTAssertEqual(narrow.split(separator: "\n")[2], "▸ basel…   4,810    97.50%  the o…",
                       "numbers are never cut; text stops at its minimum width")
        XCTAssertEqual(narrow.split(separator: "\n")[1], "  ──────  ──────  ────────  ──────")
    }

    func testNoGutterWithoutAMarkedRowAndExplicitAlignment() {
        let table = Table(columns: [Table.Column("layer"), Table.Column("shape", alignment: .right)],
                          rows: [["fc1", "[64, 32]"], ["fc2"]])
        XCTAssertEqual(table.render(), """
            layer     shape
            ─────  ────────
            fc1    [64, 32]
            fc2
            """)
    }

    func testNumericColumnDetection() {
        XCTAssertTrue(Table.isNumericColumn(["1.5", "-2", "+0.4", "97%", "2.5×", "18.8 KiB", "—", "", "nan", ".5"]))
        XCTAssertFalse(Table.isNumericColumn(["1.5", "fc1"]))
        XCTAssertFalse(Table.isNumericColumn(["—", ""]), "nothing but placeholders")
        XCTAssertFalse(Table.isNumericColumn(["-x"]))
    }

    func testWideCharactersAlignByColumns() {
        let table = Table(["name", "n"], rows: [["日本", "1"], ["ab", "22"]])
        XCTAssertEqual(table.render(), """
            name   n
            ────  ──
            日本   1
            ab    22
            """)
    }

    func testStyledHeaderKeepsAlignment() {
        let styled = comparison.render(style: TextStyler(enabled: true))
        XCTAssertTrue(styled.contains("\u{1B}[1mvariant"))
        XCTAssertEqual(TextStyler.stripped(styled), comparison.render())
    }
}
