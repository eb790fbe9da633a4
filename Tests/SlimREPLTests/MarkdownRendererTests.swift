import XCTest
@testable import SlimREPL

final class MarkdownRendererTests: XCTestCase {
    let plain = MarkdownRenderer(width: 40)

    func testHeadingsAreUnderlinedSoTheyShowWithoutColor() {
        XCTAssertEqual(plain.render("# Quantization basics\n\nText.\n\n## The weights\nMore."), [
            "Quantization basics",
            "═══════════════════",
            "",
            "Text.",
            "",
            "The weights",
            "───────────",
            "",
            "More.",
        ])
    }

    func testParagraphsWrapAndInlineMarkupLeavesNoRawCharacters() {
        let text = "A scale `s` and a *zero point* `z` map **reals** onto codes; see [the paper](https://arxiv.org/abs/1712.05877)."
        XCTAssertEqual(plain.render(text), [
            "A scale s and a zero point z map reals",
            "onto codes; see the paper",
            "(https://arxiv.org/abs/1712.05877).",
        ])
        XCTAssertEqual(plain.inline("snake_case_name and 2*3*4 stay, \\*escaped\\*"), "snake_case_name and 2*3*4 stay, *escaped*")
        XCTAssertEqual(plain.inline("``a `b` c``"), "a `b` c")
    }

    func testInlineStylesAreAppliedWordByWordOnATerminal() {
        let styled = MarkdownRenderer(width: 40, style: TextStyler(enabled: true))
        XCTAssertEqual(styled.inline("**key terms** and `q`"),
                       "\u{1B}[1mkey\u{1B}[0m \u{1B}[1mterms\u{1B}[0m and \u{1B}[36mq\u{1B}[0m")
        let lines = styled.render("# Title")
        XCTAssertEqual(lines, ["\u{1B}[1mTitle\u{1B}[0m", "═════"])
    }

    func testListsHaveAHangingIndentAndNest() {
        XCTAssertEqual(plain.render("What you will learn:\n- how to read a weight tensor's distribution and range;\n  continued here\n  - a nested point\n1. first\n2. second"), [
            "What you will learn:",
            "",
            "• how to read a weight tensor's",
            "  distribution and range; continued here",
            "  • a nested point",
            "1. first",
            "2. second",
        ])
    }

    func testIndentedFormulasAndFencedCodeAreSetApartAndKeepTheirLines() {
        let text = "The grid:\n\n    q = clamp(round(x / s) + z)\n    x̂ = s·(q − z)\n\nand code:\n```\nquantize bits=8\n```\nAfter."
        XCTAssertEqual(plain.render(text), [
            "The grid:",
            "",
            "    q = clamp(round(x / s) + z)",
            "    x̂ = s·(q − z)",
            "",
            "and code:",
            "",
            "    quantize bits=8",
            "",
            "After.",
        ])
    }

    func testTablesAlignAndWrapToTheWidth() {
        let text = """
            | variant | µs per sample | note |
            | --- | ---: | --- |
            | baseline (64-128-10, fp32) | 8.5–10 | the model every other is compared with |
            | student | 3.5 | `distill` |
            """
        let lines = plain.render(text)
        XCTAssertEqual(lines, [
            "variant             µs per  note",
            "                    sample",
            "────────────  ────────────  ────────────",
            "baseline            8.5–10  the model",
            "(64-128-10,                 every other",
            "fp32)                       is compared",
            "                            with",
            "student                3.5  distill",
        ])
        XCTAssertTrue(lines.allSatisfy { DisplayWidth.of($0) <= 40 })
    }

    func testQuotesAndRules() {
        XCTAssertEqual(plain.render("> Note: this\n> matters.\n\n---\n\nEnd."),
                       ["│ Note: this matters.", "", String(repeating: "─", count: 40), "", "End."])
    }

    func testCodeWiderThanTheWidthContinuesBelow() {
        let narrow = MarkdownRenderer(width: 20)
        XCTAssertEqual(narrow.render("    prune magnitude sparsity=0.8 scope=global"),
                       ["    prune magnitude", "      sparsity=0.8", "      scope=global"])
    }
}
