import Foundation
import XCTest
@testable import SlimREPL

/// Every plot kind drawn from a fixed description at 80 columns, compared line by line: the
/// axes, ticks, markers, guides and legends of the text charts, the mask map, and the SVG.
final class PlotRenderingTests: XCTestCase {
    private func text(_ plot: Plot, height: Int) -> String {
        PlotText(width: 80, height: height).render(plot).joined(separator: "\n")
    }

    /// `plot training`: two series on a percent axis against whole epochs, a legend.
    func testTrainingCurves() {
        let train = (1...30).map { Plot.Point(Double($0), 0.7 + 0.3 * (1 - exp(-Double($0) / 4))) }
        let test = (1...30).map { Plot.Point(Double($0), 0.88 + 0.1 * (1 - exp(-Double($0) / 5))) }
        let plot = Plot(title: "accuracy of baseline", x: Plot.Axis("epoch", unit: .integer),
                        y: Plot.Axis("accuracy", unit: .percent),
                        series: [Plot.Series("train", points: train), Plot.Series("test", points: test, marker: .circle)])
        XCTAssertEqual(text(plot, height: 10), """
            accuracy of baseline
            accuracy
            100% ┤                         ⢀●⣀⠤⠤⠤●⠤⠒⠒⠒○⠒⠒⠒⠒○⠒⠒⠒○⣉⣉⣉⣉○⣉⣉⣉⣉○⣉⣉⣉⣉○⣉⣉⣉⣉○⣉⣉⣉⣉○⣉○
                 │                ○⣀⣠⠤⠤○⠶⠞⠛⠓○⠒⠒⠒⠊○⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉
             95% ┤       ○⢀⡠⠤⠒○⢊⡩⠝●⠉
                 │  ○⢀⡠⠤⠒⠉⠁ ⢀⡠●⠁
             90% ┤  ⠈⠁    ⢀⠔⠁
             85% ┤       ●⠊
                 │     ⢀⠜
             80% ┤    ⡰⠁
                 │   ⡔⠁
             75% ┤  ●
                 ┼┬───────────────────────┬───────────────────────┬───────────────────────┬
                  0                      10                      20                      30
                                                                                      epoch
            ● train   ○ test
            """)
    }

    /// `plot activations`: bars that fill the axis, the clip range as a guide, a note.
    func testActivationHistogramWithClipRange() {
        let bars = (0..<40).map { Plot.Point(Double($0) * 0.1 + 0.05, Double(400 * exp(-Double($0) / 6))) }
        let plot = Plot(title: "relu1.out", x: Plot.Axis("value"), y: Plot.Axis("count", unit: .integer),
                        series: [Plot.Series("values", points: bars, kind: .bars)],
                        verticalGuides: [Plot.Guide(3.2, "clip range [0.0000, 3.2000]")], note: "12 values · 0.5% clipped")
        XCTAssertEqual(text(plot, height: 8), """
            relu1.out
            count
            400 ┤ █                                                        ┊
                │ █▆▆                                                      ┊
            300 ┤ ███▆▆                                                    ┊
                │ █████▇▇▁▁                                                ┊
            200 ┤ █████████▄▄                                              ┊
            100 ┤ ████████████▄▄▁▁                                         ┊
                │ ████████████████▆▆▄▄▂▂▁                                  ┊
              0 ┤ ███████████████████████▇▇▆▆▅▅▄▄▄▄▃▃▃▂▂▂▂▂▂▁▁▁▁▁▁▁▁▁▁▁▁▁  ┊
                ┼┬─────────────────┬─────────────────┬──────────────────┬─────────────────┬
                 0                 1                 2                  3                 4
                                                                                      value
            █ values   ┊ clip range [0.0000, 3.2000]
            12 values · 0.5% clipped
            """)
    }

    /// `plot compare`: the Pareto front joined, a dominated point apart, names beside points.
    func testSizeAgainstAccuracyWithLabels() {
        let plot = Plot(title: "size and accuracy", x: Plot.Axis("size (KiB)", unit: .kibibytes),
                        y: Plot.Axis("test accuracy", unit: .percent),
                        series: [Plot.Series("Pareto front", points: [Plot.Point(2000, 0.95, label: "q4"),
                                                                      Plot.Point(5200, 0.978, label: "int8"),
                                                                      Plot.Point(19251, 0.98, label: "baseline")]),
                                 Plot.Series("dominated", points: [Plot.Point(8000, 0.96, label: "pruned-50")],
                                             kind: .points, marker: .circle)])
        XCTAssertEqual(text(plot, height: 10), """
            size and accuracy
            test accuracy
            98% ┤                  ●⣀int8⣀⣀⣀⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒baseline⠉●
                │                 ⡠⠃
                │                ⡰⠁
            97% ┤              ⢀⠜
                │             ⢠⠊
                │            ⡠⠃
            96% ┤           ⡔⠁               ○ pruned-50
                │         ⢀⠎
                │        ⢠⠃
            95% ┤       ●⠁q4
                ┼┬─────────────────┬─────────────────┬──────────────────┬─────────────────┬
                 0                 5                10                 15                20
                                                                                 size (KiB)
            ● Pareto front   ○ dominated
            """)
    }

    /// `plot mask`: one braille dot per kept weight, rows and columns numbered.
    func testMaskMap() {
        var kept: [Bool] = []
        for r in 0..<16 { for c in 0..<24 { kept.append((r * 7 + c * 3) % 5 != 0 && r != 5) } }
        let map = MaskMap(title: "fc1.weight of pruned", rows: 16, columns: 24, kept: kept,
                          rowLabel: "output unit", columnLabel: "input")
        XCTAssertEqual(map.render(width: 80).joined(separator: "\n"), """
            fc1.weight of pruned: 75.0% kept (288 of 384)
            output unit ↓ · input →
             0 ┤⣮⡻⣷⣝⢿⣮⡻⣷⣝⢿⣮⡻
               │⣍⢭⣬⡩⣥⣍⢭⣬⡩⣥⣍⢭
               │⡻⣷⣝⢿⣮⡻⣷⣝⢿⣮⡻⣷
            15 ┤⢿⣮⡻⣷⣝⢿⣮⡻⣷⣝⢿⣮
               └┬──────────┬
                0          23
            dots: kept weights · gaps: pruned · one dot = one weight
            """)
        XCTAssertEqual(map.keptCount, 288)
    }

    func testTicksAreRoundNumbersCoveringTheData() {
        let percent = PlotScale(values: [0.7186, 1.0], range: nil, unit: .percent, count: 6)
        XCTAssertEqual(percent.ticks, [70, 80, 90, 100])
        XCTAssertEqual(percent.label(90), "90%")
        let epochs = PlotScale(values: [1, 7], range: nil, unit: .integer, count: 6)
        XCTAssertEqual(epochs.ticks, [0, 2, 4, 6, 8])
        let bytes = PlotScale(values: [2000, 19251], range: nil, unit: .kibibytes, count: 5)
        XCTAssertEqual(bytes.ticks, [0, 5, 10, 15, 20])
        let small = PlotScale(values: [0.0123, 0.0481], range: nil, unit: .number, count: 4)
        XCTAssertEqual(small.ticks.map(small.label), ["0.00", "0.02", "0.04", "0.06"])
        XCTAssertEqual(PlotScale.niceStep(0.37), 0.5)
        XCTAssertEqual(PlotScale.niceStep(2.2), 2.5)
    }

    func testSVGHasItsSeriesMarkersGuidesAndEscapedText() {
        let plot = Plot(title: "a < b & c", x: Plot.Axis("x"), y: Plot.Axis("y"),
                        series: [Plot.Series("one", points: [Plot.Point(0, 0), Plot.Point(1, 1)]),
                                 Plot.Series("two", points: [Plot.Point(0.5, 0.2)], kind: .points, marker: .square)],
                        verticalGuides: [Plot.Guide(0.5, "half")])
        let svg = PlotSVG.document([plot])
        XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(svg.contains("<title>a &lt; b &amp; c</title>"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 1)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3, "two points and the legend's marker")
        XCTAssertEqual(svg.components(separatedBy: "stroke-dasharray").count - 1, 2, "the guide and its legend sample")
        let map = MaskMap(title: "m", rows: 2, columns: 3, kept: [true, true, false, false, true, true])
        XCTAssertEqual(PlotSVG.document(map).components(separatedBy: "fill=\"#1f77b4\"").count - 1, 2,
                       "one rectangle per run of kept weights")
    }

    func testLongSVGTitlesWrapInsideTheCanvas() {
        func titleLines(_ svg: String) -> [String] {
            svg.split(separator: "\n").filter { $0.contains("font-weight=\"bold\"") }.map(String.init)
        }
        let short = PlotSVG.title("accuracy of baseline", width: PlotSVG.canvasWidth)
        XCTAssertEqual(short.count, 1)
        XCTAssertTrue(short[0].contains("font-size=\"18\""), short[0])
        let long = "sensitivity of a-rather-long-model-name-for-slides: test accuracy, one layer pruned at a time"
        let wrapped = PlotSVG.title(long, width: PlotSVG.canvasWidth)
        XCTAssertEqual(wrapped.count, 2)
        let room = PlotSVG.canvasWidth - PlotSVG.left - PlotSVG.right
        for line in wrapped {
            let content = line.split(separator: ">")[1].split(separator: "<")[0]
            XCTAssertLessThanOrEqual(Double(content.count) * 15 * 0.62, room, line)
        }
        let words = wrapped.map { line -> String in String(line.split(separator: ">")[1].split(separator: "<")[0]) }
        XCTAssertEqual(words.joined(separator: " "), long, "nothing of a two-line title is lost")
        let endless = PlotSVG.title(String(repeating: "word ", count: 80), width: PlotSVG.canvasWidth)
        XCTAssertEqual(endless.count, 2)
        XCTAssertTrue(endless[1].contains("…"), endless[1])
        let plot = Plot(title: long, x: Plot.Axis("x"), y: Plot.Axis("y"), series: [Plot.Series("one", points: [Plot.Point(0, 0)])])
        XCTAssertEqual(titleLines(PlotSVG.document([plot])).count, 2)
    }
}
