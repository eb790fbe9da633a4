import XCTest
@testable import SlimREPL
import SlimLab

final class FormattingTests: XCTestCase {
    func testFormulaBlockBoxedWithTitleAndTerms() {
        let block = FormulaBlock(title: "symmetric int8", lines: ["q = clamp(round(x / s), −127, 127)"],
                                 terms: [.init("s", "0.0123", meaning: "scale = max|x| / 127"),
                                         .init("x", "0.5", meaning: "the weight")])
        XCTAssertEqual(block.render(), """
              ┌─ symmetric int8 ───────────────────┐
              │ q = clamp(round(x / s), −127, 127) │
              └────────────────────────────────────┘
              where  s = 0.0123  scale = max|x| / 127
                     x = 0.5     the weight
            """)
    }

    func testFormulaBlockTitleWiderThanFormula() {
        XCTAssertEqual(FormulaBlock(title: "a long title", lines: ["y = x"]).render(), """
              ┌─ a long title ──┐
              │ y = x           │
              └─────────────────┘
            """)
    }

    func testFormulaBlockIndented() {
        let block = FormulaBlock(title: "dense layer", lines: ["y = W·x + b", "W ∈ ℝ^{10×64}"],
                                 terms: [.init("W", "[10, 64]"), .init("b", "[10]")], frame: .indented)
        XCTAssertEqual(block.render(), """
              dense layer
                y = W·x + b
                W ∈ ℝ^{10×64}
              where  W = [10, 64]
                     b = [10]
            """)
    }

    func testFixedNumbers() {
        XCTAssertEqual(NumberFormatting.fixed(0.12345, digits: 4), "0.1235")
        XCTAssertEqual(NumberFormatting.fixed(-0.00001, digits: 4), "0.0000", "no negative zero")
        XCTAssertEqual(NumberFormatting.fixed(-2.5, digits: 0), "-2")
        XCTAssertEqual(NumberFormatting.fixed(1e20, digits: 1), "100000000000000000000.0")
        XCTAssertEqual(NumberFormatting.fixed(Double.nan, digits: 2), "nan")
        XCTAssertEqual(NumberFormatting.fixed(-Double.infinity, digits: 2), "-inf")
        XCTAssertEqual(NumberFormatting.fixed(Float(0.1), digits: 3), "0.100")
    }

    func testOtherNumberFormats() {
        XCTAssertEqual(NumberFormatting.grouped(1_234_567), "1,234,567")
        XCTAssertEqual(NumberFormatting.grouped(-999), "-999")
        XCTAssertEqual(NumberFormatting.grouped(-1000), "-1,000")
        XCTAssertEqual(NumberFormatting.percent(0.97346), "97.35%")
        XCTAssertEqual(NumberFormatting.bytes(812), "812 B")
        XCTAssertEqual(NumberFormatting.bytes(19_240), "18.8 KiB")
        XCTAssertEqual(NumberFormatting.bytes(3 * 1024 * 1024 + 300_000), "3.29 MiB")
        XCTAssertEqual(NumberFormatting.shortest(5), "5")
        XCTAssertEqual(NumberFormatting.shortest(0.01), "0.01")
        XCTAssertEqual(NumberFormatting.duration(seconds: 0.000_85), "850 µs")
        XCTAssertEqual(NumberFormatting.duration(seconds: 0.0123), "12.3 ms")
        XCTAssertEqual(NumberFormatting.duration(seconds: 4.561), "4.56 s")
        XCTAssertEqual(NumberFormatting.clock(seconds: 125), "2:05")
        XCTAssertEqual(NumberFormatting.clock(seconds: 3725), "1:02:05")
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "combining accent")
        XCTAssertEqual(DisplayWidth.of("日本"), 4)
        XCTAssertEqual(DisplayWidth.of("▕█▏…─"), 5)
        XCTAssertEqual(DisplayWidth.truncate("quantized", to: 5), "quan…")
        XCTAssertEqual(DisplayWidth.truncate("日本語", to: 4), "日…")
        XCTAssertEqual(DisplayWidth.truncate("abc", to: 3), "abc")
        XCTAssertEqual(DisplayWidth.padLeft("7", to: 3), "  7")
    }

    func testTextWrapping() {
        XCTAssertEqual(TextWrapping.wrap("one two three four five", width: 11, indent: "  "),
                       ["  one two", "  three", "  four five"])
        XCTAssertEqual(TextWrapping.wrap("a\n\nsupercalifragilistic b", width: 8), ["a", "", "supercal", "ifragili", "stic b"],
                       "a word longer than a line is cut so no line passes the width")
    }

    /// A pasted line of a million characters (found by fuzzing: its echo took 12 s to wrap at
    /// 100 000 characters, measuring what was left after every cut) is wrapped in one pass:
    /// every piece fills its line, nothing is lost, and spacing, indents and styles hold.
    func testHugeLinesWrapCompletelyAndKeepTheirShape() {
        let word = String(repeating: "x", count: 1_000_000)
        let echo = TextWrapping.breakLine("slimlab> train " + word, width: 100)
        // "slimlab> train" (it breaks at the last space that fits), then 98 x's a line.
        XCTAssertEqual(echo.count, 1 + (1_000_000 + 97) / 98)
        XCTAssertEqual(echo.first, "slimlab> train")
        XCTAssertTrue(echo.dropFirst().dropLast().allSatisfy { $0.count == 100 && $0.hasPrefix("  x") })
        XCTAssertEqual(echo.map { $0.count }.reduce(0, +) - 2 * (echo.count - 1), 1_000_014)
        let wrapped = TextWrapping.wrap("a " + word + " b", width: 100, hanging: "  ")
        XCTAssertEqual(wrapped.first, "a")
        XCTAssertEqual(wrapped.dropFirst().map { $0.replacingOccurrences(of: " ", with: "") }.joined(), word + "b")
        XCTAssertTrue(wrapped.allSatisfy { $0.count <= 100 })
        XCTAssertEqual(TextWrapping.breakLine("  name   value   note that wraps", width: 16),
                       ["  name   value", "    note that", "    wraps"])
        let bold = TextStyler(enabled: true)("bold", .bold)
        XCTAssertEqual(TextWrapping.breakLine("\(bold) words here", width: 10), [bold, "  words", "  here"])
    }

    func testWrappingWithAHangingIndentMeasuresVisibleColumns() {
        XCTAssertEqual(TextWrapping.wrap("loaded digits: 1,797 samples · 1,347 train / 450 test", width: 24, hanging: "  "),
                       ["loaded digits: 1,797", "  samples · 1,347 train", "  / 450 test"])
        let bold = TextStyler(enabled: true)("bold", .bold)
        XCTAssertEqual(TextWrapping.wrap("\(bold) words here", width: 10), [bold + " words", "here"],
                       "escape sequences take no columns")
        XCTAssertEqual(DisplayWidth.of(bold), 4)
    }

    func testStylerAndStripping() {
        let style = TextStyler(enabled: true)
        XCTAssertEqual(style("x", .error), "\u{1B}[1;31mx\u{1B}[0m")
        XCTAssertEqual(TextStyler.plain("x", .error), "x")
        XCTAssertEqual(style("", .bold), "")
        XCTAssertEqual(TextStyler.stripped("a\u{1B}[1;31mb\u{1B}[0mc"), "abc")
    }
}

final class FormulaBridgeTests: XCTestCase {
    func testReportFormulaWithSymbolAndResult() {
        let scale = Formula(symbol: "s", symbolic: "(max - min) / (q_max - q_min)", template: "({0} - {1}) / ({2} - {3})",
                            values: [.real(0.8), .real(-0.4), .integer(127), .integer(-128)], result: .real(0.0047058823))
        XCTAssertEqual(FormulaBlock(scale, digits: 4, title: "scale").render(), """
              ┌─ scale ─────────────────────────────┐
              │ s = (max - min) / (q_max - q_min)   │
              │   = (0.8 - (-0.4)) / (127 - (-128)) │
              │   = 0.004706                        │
              └─────────────────────────────────────┘
            """)
    }

    func testReportFormulaOfTermsAlignsUnderItsOwnEquals() {
        let k = Formula("k = ⌊n·S⌋", .text("⌊"), .integer(4736), .text("·"), .parameter(0.8), .text("⌋ = "), .integer(3788))
        XCTAssertEqual(FormulaBlock(k, digits: 4, frame: .indented).render(), """
                k = ⌊n·S⌋
                  = ⌊4736·0.8⌋ = 3788
            """)
        let plain = Formula("‖w‖₂", .value(1.23456))
        XCTAssertEqual(FormulaBlock(plain, digits: 2, frame: .indented).render(), "    ‖w‖₂ = 1.23")
    }
}
