import Foundation

/// A chart of one or more series over two axes, drawn as text (`PlotText`) or as SVG
/// (`PlotSVG`) from the same description: training curves, sensitivity, size against
/// accuracy, a threshold sweep, a histogram.
///
/// Every series has its own marker (`●`, `○`, `■`, …) as well as its own color, so series stay
/// apart without colors (`NO_COLOR`, a printed transcript).
public struct Plot: Sendable {
    /// The mark drawn at a series' data points, in the text legend and in SVG.
    public enum Marker: String, CaseIterable, Sendable {
        case dot = "●", circle = "○", square = "■", diamond = "◆", triangle = "▲", cross = "×", plus = "+", star = "✱"
    }

    /// How a series is drawn.
    public enum Kind: Sendable {
        /// Points joined by a line (braille dots in text), markers at the points.
        case line
        /// Markers only.
        case points
        /// Vertical bars from zero (a histogram).
        case bars
    }

    /// One data point; a label is written beside it when there is room.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var label: String?

        public init(_ x: Double, _ y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public struct Series: Sendable {
        public var name: String
        public var points: [Point]
        public var kind: Kind
        public var marker: Marker

        public init(_ name: String, points: [Point], kind: Kind = .line, marker: Marker = .dot) {
            self.name = name
            self.points = points
            self.kind = kind
            self.marker = marker
        }
    }

    /// How an axis writes its values.
    public enum Unit: Sendable {
        case number
        /// Whole numbers only (epochs, bits): ticks fall on integers.
        case integer
        /// Fractions shown as percentages (0.975 → 97.5%).
        case percent
        /// Byte counts shown in KiB.
        case kibibytes

        /// A raw value as the axis shows it.
        func display(_ value: Double) -> Double {
            switch self {
            case .percent: value * 100
            case .kibibytes: value / 1024
            case .number, .integer: value
            }
        }

        var suffix: String {
            switch self {
            case .percent: "%"
            case .number, .integer, .kibibytes: ""
            }
        }
    }

    public struct Axis: Sendable {
        public var label: String
        public var unit: Unit
        /// The raw range to show (nil: the data's, widened to whole ticks).
        public var range: ClosedRange<Double>?

        public init(_ label: String, unit: Unit = .number, range: ClosedRange<Double>? = nil) {
            self.label = label
            self.unit = unit
            self.range = range
        }
    }

    /// A line across the chart at a value: a chosen threshold, a clip range, the baseline.
    public struct Guide: Sendable {
        public var value: Double
        public var label: String

        public init(_ value: Double, _ label: String) {
            self.value = value
            self.label = label
        }
    }

    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    /// Vertical lines at x values.
    public var verticalGuides: [Guide]
    /// Horizontal lines at y values.
    public var horizontalGuides: [Guide]
    /// A line under the legend (what a marker means, what was left out).
    public var note: String?

    public init(title: String, x: Axis, y: Axis, series: [Series], verticalGuides: [Guide] = [],
                horizontalGuides: [Guide] = [], note: String? = nil) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.verticalGuides = verticalGuides
        self.horizontalGuides = horizontalGuides
        self.note = note
    }
}

/// The ticks of an axis: round values (1, 2, 2.5 or 5 × 10ᵏ apart) and the range they span.
public struct PlotScale: Sendable, Equatable {
    /// The shown range, in display units (percent, KiB, …).
    public var lower: Double
    public var upper: Double
    /// The tick values, in display units.
    public var ticks: [Double]
    /// Decimals that write every tick exactly.
    public var decimals: Int
    public var unit: Plot.Unit

    /// Ticks for raw values `values` (or `range` when given), about `count` of them.
    public init(values: [Double], range: ClosedRange<Double>?, unit: Plot.Unit, count: Int = 5) {
        self.unit = unit
        let shown = (range.map { [$0.lowerBound, $0.upperBound] } ?? values).filter(\.isFinite).map(unit.display)
        var low = shown.min() ?? 0, high = shown.max() ?? 1
        if high - low < 1e-12 {
            let pad = max(abs(low) * 0.1, unit == .integer ? 1 : 0.5)
            (low, high) = (low - pad, high + pad)
        }
        var step = Self.niceStep((high - low) / Double(max(1, count - 1)))
        if unit == .integer { step = max(1, step.rounded()) }
        if range == nil {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        lower = low
        upper = high
        var ticks: [Double] = []
        var tick = (low / step).rounded(.up) * step
        while tick <= high + step * 1e-9 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        self.ticks = ticks
        decimals = unit == .integer ? 0 : (0...6).first { d in
            let scaled = step * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6
        } ?? 6
    }

    /// 1, 2, 2.5 or 5 × 10ᵏ, the smallest at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Where a raw value lies on the shown range, 0 at `lower` and 1 at `upper`.
    public func position(_ raw: Double) -> Double {
        (unit.display(raw) - lower) / (upper - lower)
    }

    /// A tick (in display units) as text: `97.5%`, `12`, `0.25`.
    public func label(_ tick: Double) -> String {
        NumberFormatting.fixed(tick, digits: decimals) + unit.suffix
    }
}
