import XCTest
import SlimKernels
@testable import SlimLab
@testable import SlimREPL

/// The one renderer of every technique's outcome: every kind of item fits the width, `brief`
/// keeps the title, the result steps and the summary, and numbers follow the session precision.
final class TechniqueRendererTests: XCTestCase {
    private var outcome: TechniqueOutcome {
        let weight = Tensor<Float>(shape: [4, 8], scalars: (0..<32).map { Float($0 % 7) / 7 - 0.4 })
        let pruned = Tensor<Float>(shape: [4, 8], scalars: weight.scalars.map { abs($0) < 0.2 ? 0 : $0 })
        let histogram = ValueHistogram(lower: -1, upper: 1, counts: [1, 3, 9, 3, 1])
        var summary = TechniqueSummary(source: "baseline", variant: "made", sourceBytes: 18_800, variantBytes: 4_700,
                                       threads: 1)
        summary.accuracyBefore = 0.98
        summary.accuracyAfter = 0.9733
        summary.testSetName = "digits"
        let table = TechniqueTable(["tensor", "value", "share"], rows: [
            ["fc1.weight", "\(fixed: 0.123456)", "\(percent: 0.5)"], ["a-much-longer-tensor-name.weight", "\(fixed: -2)", "\(percent: 1)"],
        ], markedRow: 0)
        let steps = [
            TechniqueStep(title: "Every kind of item", items: [
                .paragraph("A paragraph long enough to wrap: " + Phrase(String(repeating: "words and more words ", count: 8))),
                .line("a line with \(count: 12345) and \(significant: 0.0018127)"),
                .formula(Formula("k = ⌊n·S⌋", .text("⌊"), .integer(4736), .text("·"), .parameter(0.8), .text("⌋ = "), .integer(3788))),
                .derivation(Formula("L = a + b", .real(0.5), .text(" + "), .real(0.25), .text(" = "), .real(0.75))),
                .rule("w′ = w ⊙ m"),
                .rules(title: "a boxed rule", lines: ["L = α·T²·KL(p_t ‖ q_s) + (1 − α)·CE(y, softmax(z_s))"]),
                .table(table),
                .excerpt(before: TensorExcerpt(name: "fc1.weight", tensor: weight), after: TensorExcerpt(name: "fc1.weight", tensor: pruned)),
                .histogramPair(name: "fc1.weight", before: histogram, after: histogram, zerosAfter: 7, threshold: 0.2),
                .histogram(TechniqueHistogram(title: "values", counts: [1, 3, 9, 3, 1], lower: -1, upper: 1, markers: [0],
                                              markerLegend: "zero", height: 4)),
                .bars(TechniqueBars(bars: [.init(label: "class 0", value: 0.9, text: .percent(0.9)),
                                           .init(label: "class 1", value: 0.1, text: .percent(0.1))], maximum: 1, marked: 0)),
                .curve(TechniqueCurve(label: "loss  ", values: (1...90).map { 1 / Double($0) })),
            ]),
            TechniqueStep(title: "The result", items: [.line("the result line")], isResult: true),
        ]
        return TechniqueOutcome(title: "a technique: baseline → made", steps: steps, result: [.line("after the steps")],
                                summary: summary, facts: [.init("runs on", "the test")], made: "made from baseline")
    }

    private func render(width: Int, detail: TechniqueDetail, precision: Int = 4) throws -> [String] {
        let sink = CapturingSink(isTerminal: true, width: width)
        let session = Session(workspace: Workspace(threads: 1), output: sink)
        session.context.settings.precision = precision
        session.context.settings.color = .off
        try TechniqueRenderer(context: session.context).render(outcome, detail: detail)
        return sink.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func testFullShowsEveryStepAndFitsTheWidth() throws {
        for width in [40, 80, 100] {
            let lines = try render(width: width, detail: .full)
            XCTAssertEqual(lines.first, "a technique: baseline → made")
            XCTAssertEqual(lines.filter { $0.hasPrefix("Step ") }, ["Step 1/2 · Every kind of item", "Step 2/2 · The result"])
            let wide = lines.filter { DisplayWidth.of($0) > width }
            XCTAssertEqual(wide, [], "at \(width) columns")
            XCTAssertTrue(lines.contains("  k = ⌊n·S⌋ = ⌊4736·0.8⌋ = 3788"), "\(lines)")
            XCTAssertTrue(lines.contains("  a line with 12,345 and 0.001813"), "\(lines)")
            XCTAssertTrue(lines.contains("  after the steps"), "\(lines)")
            XCTAssertTrue(lines.contains("  runs on   the test"), "\(lines)")
            XCTAssertTrue(lines.contains { $0.hasPrefix("made made from baseline; made stays the") }, "\(lines)")
            if width >= 80 {
                XCTAssertTrue(lines.contains("  size      18.4 KiB → 4.59 KiB  (4.00× smaller)"), "\(lines)")
                XCTAssertTrue(lines.contains("  accuracy  98.00% → 97.33%  (-0.67 points, digits test set)"), "\(lines)")
                // Before and after side by side when they fit, else one above the other.
                XCTAssertEqual(lines.filter { $0.hasPrefix("  before") }.count, 1, "\(lines)")
            }
        }
    }

    func testBriefKeepsTheTitleTheResultAndTheSummary() throws {
        let lines = try render(width: 120, detail: .brief)
        XCTAssertEqual(lines, [
            "a technique: baseline → made",
            "  the result line",
            "  after the steps",
            "  size      18.4 KiB → 4.59 KiB  (4.00× smaller)",
            "  accuracy  98.00% → 97.33%  (-0.67 points, digits test set)",
            "  runs on   the test",
            "made made from baseline; made stays the current model ('model use made' switches, 'compare' shows all)",
        ])
    }

    func testNumbersWithoutTheirOwnDigitsFollowTheSessionPrecision() throws {
        let two = try render(width: 100, detail: .full, precision: 2)
        XCTAssertTrue(two.contains { $0.contains("fc1.weight") && $0.contains(" 0.12 ") }, "\(two)")
        XCTAssertTrue(two.contains("  a line with 12,345 and 0.0018"), "\(two)")
        let six = try render(width: 100, detail: .full, precision: 6)
        XCTAssertTrue(six.contains { $0.contains("fc1.weight") && $0.contains(" 0.123456 ") }, "\(six)")
    }

    func testQuantitiesReadAsTheSessionWritesThem() {
        let renderer = TechniqueRenderer(context: Session(workspace: Workspace(threads: 1), output: CapturingSink()).context)
        XCTAssertEqual(renderer.format(.count(1_234_567)), "1,234,567")
        XCTAssertEqual(renderer.format(.percent(0.97333)), "97.33%")
        XCTAssertEqual(renderer.format(.percent(0.05, digits: 1)), "5.0%")
        XCTAssertEqual(renderer.format(.fixed(-0.00001)), "0.0000")
        XCTAssertEqual(renderer.format(.significant(3.85e-7, digits: 3)), "3.85e-07")
        XCTAssertEqual(renderer.format(.setting(0.7)), "0.7")
        XCTAssertEqual(renderer.format(.bytes(5_324)), "5.20 KiB")
        XCTAssertEqual(renderer.format(.points(13.556)), "+13.56")
        XCTAssertEqual(renderer.format(.points(-0.001)), "0.00")
        XCTAssertEqual(renderer.format(.points(-0.22)), "-0.22")
    }
}
