import XCTest
@testable import SlimREPL

final class LessonFormatTests: XCTestCase {
    let sample = """
    # A tiny lesson
    duration: 5 minutes
    seed: 7
    tolerance: 1e-6

    Objectives:
    - see a cell

    Some prose with a formula:

    ```
    x̂ = s·(q − z)
    ```

    ```slimlab
    # a comment
    set seed=3
    help set
    ```

    ```output
    slimlab> set seed=3
    old
    ```

    More prose.

    ```slimlab
    set precision=2
    ```

    ## Exercises
    1. Try it.
    """

    func testParsesTitleSettingsCellsAndProse() throws {
        let lesson = try LessonParser.parse(sample, slug: "03-tiny")
        XCTAssertEqual(lesson.number, 3)
        XCTAssertEqual(lesson.title, "A tiny lesson")
        XCTAssertEqual(lesson.duration, "5 minutes")
        XCTAssertEqual(lesson.settings, LessonSettings(seed: 7, tolerance: 1e-6))
        XCTAssertEqual(lesson.cells.count, 2)
        XCTAssertEqual(lesson.cells[0].commands, ["set seed=3", "help set"])
        XCTAssertEqual(lesson.cells[0].expectedOutput, ["slimlab> set seed=3", "old"])
        XCTAssertEqual(lesson.cells[0].line, 15)
        XCTAssertEqual(lesson.cells[1].commands, ["set precision=2"])
        XCTAssertNil(lesson.cells[1].expectedOutput)
        XCTAssertEqual(lesson.prose(before: 0), "Objectives:\n- see a cell\n\nSome prose with a formula:\n\n```\nx̂ = s·(q − z)\n```")
        XCTAssertEqual(lesson.prose(before: 1), "More prose.")
        XCTAssertEqual(lesson.prose(before: 2), "## Exercises\n1. Try it.")
    }

    func testBlessReplacesAndInsertsOutputBlocksOnly() throws {
        let lesson = try LessonParser.parse(sample, slug: "03-tiny")
        let text = LessonBlesser.blessed(lesson, outputs: [["new 1", "new 2"], ["p"]])
        let again = try LessonParser.parse(text, slug: "03-tiny")
        XCTAssertEqual(again.cells.map(\.expectedOutput), [["new 1", "new 2"], ["p"]])
        XCTAssertEqual(again.parts.count, lesson.parts.count)
        XCTAssertEqual(again.prose(before: 1), "More prose.")
        // Blessing with the recorded outputs changes nothing but the inserted block.
        let twice = LessonBlesser.blessed(again, outputs: [["new 1", "new 2"], ["p"]])
        XCTAssertEqual(twice, text)
    }

    func testErrorsNameTheLine() {
        XCTAssertThrowsError(try LessonParser.parse("no title here", slug: "x")) { error in
            XCTAssertEqual("\(error)", "x:1: no '# Title' line")
        }
        XCTAssertThrowsError(try LessonParser.parse("# T\n\n```slimlab\nhelp\n", slug: "x")) { error in
            XCTAssertEqual("\(error)", "x:3: fenced block is never closed")
        }
        XCTAssertThrowsError(try LessonParser.parse("# T\nseed: -1\n", slug: "x")) { error in
            XCTAssertEqual("\(error)", "x:2: seed must be a whole number ≥ 0, got '-1'")
        }
        XCTAssertThrowsError(try LessonParser.parse("# T\n\n```output\nx\n```\n", slug: "x")) { error in
            XCTAssertEqual("\(error)", "x:3: an 'output' block must follow a 'slimlab' cell")
        }
    }

    func testUnifiedDiffShowsContextAndFileLines() {
        let old = ["a", "b", "c", "d", "e", "f", "g", "h"]
        var new = old
        new[4] = "E"
        XCTAssertEqual(UnifiedDiff.hunks(old: old, new: new, context: 2, oldStart: 20),
                       ["@@ -22,5 +3,5 @@", " c", " d", "-e", "+E", " f", " g"])
        XCTAssertEqual(UnifiedDiff.hunks(old: old, new: old), [])
        XCTAssertEqual(UnifiedDiff.hunks(old: [], new: ["x"]), ["@@ -1,0 +1,1 @@", "+x"])
    }

    func testUnifiedDiffSplitsDistantChangesIntoHunks() {
        let old = (0..<20).map(String.init)
        var new = old
        new[1] = "one"
        new[18] = "eighteen"
        let hunks = UnifiedDiff.hunks(old: old, new: new, context: 1)
        XCTAssertEqual(hunks.filter { $0.hasPrefix("@@") }, ["@@ -1,3 +1,3 @@", "@@ -18,3 +18,3 @@"])
    }

    func testToleranceComparesNumbersOnly() {
        let exact = OutputComparison(tolerance: nil)
        XCTAssertFalse(exact.matches("loss 0.1000001", "loss 0.1000002"))
        let loose = OutputComparison(tolerance: 1e-5)
        XCTAssertTrue(loose.matches("loss 0.1000001 acc 97.5%", "loss 0.1000002 acc 97.5%"))
        XCTAssertFalse(loose.matches("loss 0.1000001 acc 97.5%", "loss 0.1000001 acc 97.6%"))
        XCTAssertFalse(loose.matches("loss 0.1 (fc1)", "loss 0.1 (fc2)"))
        XCTAssertTrue(loose.matches("x = −1.000001e-3", "x = −1.000002e-3"))
        XCTAssertEqual(OutputComparison.tokens("fc1 −2.5e3,x"), [.text("fc1 "), .number(-2500), .text(",x")])
    }
}
