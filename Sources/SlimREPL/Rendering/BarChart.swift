/// Horizontal Unicode bars, one labelled row per value, drawn in eighths of a column.
///
/// ```
/// fc1  ████████████████████  0.8000
/// fc2  ██████████▏           0.4100
/// fc3  ▌                     0.0200
/// ```
public struct BarChart: Sendable {
    /// One row: a label, the value that sets the bar's length, and the text printed after it.
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        public var valueText: String

        public init(_ label: String, _ value: Double, valueText: String) {
            self.label = label
            self.value = value
            self.valueText = valueText
        }
    }

    public var bars: [Bar]
    /// The value of a full bar (nil: the largest value).
    public var maximum: Double?
    /// A row to mark with `▸` in a gutter (e.g. the baseline).
    public var markedBar: Int?

    public init(bars: [Bar], maximum: Double? = nil, markedBar: Int? = nil) {
        self.bars = bars
        self.maximum = maximum
        self.markedBar = markedBar
    }

    /// Bars for labelled values, each printed with `digits` decimals.
    public init(_ values: [(label: String, value: Double)], digits: Int, maximum: Double? = nil) {
        self.init(bars: values.map { Bar($0.label, $0.value, valueText: NumberFormatting.fixed($0.value, digits: digits)) },
                  maximum: maximum)
    }

    /// The chart, bars `barWidth` columns at full length; negative and NaN values draw no bar.
    public func render(barWidth: Int = 30, style: TextStyler = .plain) -> String {
        let labelWidth = bars.map { DisplayWidth.of($0.label) }.max() ?? 0
        let valueWidth = bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let top = maximum ?? bars.map(\.value).filter { !$0.isNaN }.max() ?? 0
        return bars.enumerated().map { index, bar in
            let fraction = top > 0 && bar.value > 0 ? bar.value / top : 0
            let gutter = markedBar == nil ? "" : index == markedBar ? style("▸", .accent) + " " : "  "
            return gutter + DisplayWidth.padRight(bar.label, to: labelWidth) + "  "
                + style(ProgressBar.bar(fraction, width: barWidth), .accent) + "  "
                + DisplayWidth.padLeft(bar.valueText, to: valueWidth)
        }.joined(separator: "\n")
    }
}
