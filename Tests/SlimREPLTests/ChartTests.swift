import XCTest
@testable import SlimREPL

final class ChartTests: XCTestCase {
    func testBarChartScalesToTheLargestValueInEighths() {
        let chart = BarChart([("fc1", 0.8), ("fc2", 0.41), ("fc3", 0.02), ("out", 0)], digits: 4)
        XCTAssertEqual(chart.render(barWidth: 20), """
            fc1  ████████████████████  0.8000
            fc2  ██████████▎           0.4100
            fc3  ▍                     0.0200
            out                        0.0000
            """)
    }

    func testBarChartWithFixedMaximumAndMarkedBar() {
        var chart = BarChart(bars: [.init("baseline", 1, valueText: "100%"), .init("int8", 0.5, valueText: "50%"),
                                    .init("bad", -1, valueText: "-1")], maximum: 2)
        chart.markedBar = 0
        XCTAssertEqual(chart.render(barWidth: 8), """
            ▸ baseline  ████      100%
              int8      ██         50%
              bad                   -1
            """)
    }

    func testHistogramWithMarkers() {
        var histogram = Histogram(values: [-1, -0.9, -0.1, 0, 0, 0, 0.05, 0.1, 0.15, 0.9, 1], bins: 10)
        XCTAssertEqual(histogram.counts, [2, 0, 0, 0, 1, 6, 0, 0, 0, 2])
        histogram.markers = [-0.25, 0.25, 7]
        histogram.markerLegend = "±t = 0.2500"
        XCTAssertEqual(histogram.render(height: 3, digits: 2), """
               ┊ █┊    6
               ┊ █┊
            █  ┊▄█┊  █ 0
            ───┴──┴───
            -1.00 1.00
            ┊ ±t = 0.2500
            """)
    }

    func testHistogramOfEqualValuesAndEmptyInput() {
        let histogram = Histogram(values: [3, 3, .nan], bins: 4)
        XCTAssertEqual(histogram.lowerBound, 2.5)
        XCTAssertEqual(histogram.upperBound, 3.5)
        XCTAssertEqual(histogram.counts, [0, 0, 2, 0])
        XCTAssertEqual(Histogram(values: [], bins: 3).render(height: 1, digits: 0), "    0\n───\n0 1")
    }

    func testSparkline() {
        XCTAssertEqual(Sparkline.render([3, 2.5, 2, 1.2, 0.8, 0.5, 0.45, 0.4]), "█▇▅▃▂▁▁▁")
        XCTAssertEqual(Sparkline.render([1, 1, 1]), "▄▄▄")
        XCTAssertEqual(Sparkline.render([0, .nan, 1]), "▁ █")
        XCTAssertEqual(Sparkline.render([0.5], range: 0...1), "▅")
        XCTAssertEqual(Sparkline.render([1, 3, 5, 7], maxWidth: 2), "▁█", "averaged into buckets of two")
        XCTAssertEqual(Sparkline.summary([2.3026, 1.1, 0.5, 0.31], digits: 4), "2.3026 █▄▁▁ 0.3100")
        XCTAssertEqual(Sparkline.summary([], digits: 2), "")
    }

    func testProgressBar() {
        XCTAssertEqual(ProgressBar.bar(0.5, width: 4), "██  ")
        XCTAssertEqual(ProgressBar.bar(0.3, width: 4), "█▏  ")
        XCTAssertEqual(ProgressBar.bar(1.5, width: 2), "██")
        XCTAssertEqual(ProgressBar.render(label: "epoch 3/10", completed: 7, total: 20, elapsed: 3.5,
                                          detail: "loss 0.4123", width: 60),
                       "epoch 3/10 ▕███████▎             ▏  35% loss 0.4123 ETA 0:07", "the bar takes what is left")
        XCTAssertEqual(ProgressBar.render(label: "calibrate", completed: 0, total: 4, elapsed: 0, width: 40),
                       "calibrate ▕              ▏   0% ETA -:--")
        XCTAssertEqual(ProgressBar.render(label: "x", completed: 4, total: 4, elapsed: 75, width: 30),
                       "x ▕███████████▏ 100% done 1:15")
        XCTAssertEqual(DisplayWidth.of(ProgressBar.render(label: "a long label", completed: 1, total: 2, elapsed: 1,
                                                          detail: "loss 0.1 acc 0.9", width: 30)), 30, "cut to the width")
    }

    func testStepHeader() {
        XCTAssertEqual(StepHeader.render(index: 2, total: 5, title: "Compute the threshold"), "Step 2/5 · Compute the threshold")
        XCTAssertEqual(StepHeader.render(index: 1, total: 2, title: "t", style: TextStyler(enabled: true)), "\u{1B}[1mStep 1/2 · t\u{1B}[0m")
    }
}
