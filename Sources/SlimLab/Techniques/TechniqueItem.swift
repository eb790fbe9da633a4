import SlimKernels

/// One thing a step of a technique shows. Every technique's steps are made of these, and one
/// renderer in the REPL draws them all.
public enum TechniqueItem: Sendable {
    /// Prose, wrapped to the width as a paragraph.
    case paragraph(Phrase, tone: Tone = .plain)
    /// One line of facts; a line too long for the width goes on under a hanging indent.
    case line(Phrase, tone: Tone = .plain)
    /// A formula with this run's numbers substituted, on one line.
    case formula(Formula)
    /// A formula worked out one `=` per line, set apart (a loss term by term).
    case derivation(Formula)
    /// A rule in symbols only (`w′ = w ⊙ m`), set apart like a formula.
    case rule(String)
    /// Rules in a box under a title (a loss and its parts).
    case rules(title: String, lines: [String])
    case table(TechniqueTable)
    /// The same window of a tensor before and after.
    case excerpt(before: TensorExcerpt, after: TensorExcerpt)
    /// The distribution of a tensor's values before and after, over the same bins. `after`
    /// counts the kept (non-zero) values only, so the spike of `zerosAfter` zeros does not
    /// flatten it; `threshold` is τ, where the gap around zero ends.
    case histogramPair(name: String, before: ValueHistogram, after: ValueHistogram, zerosAfter: Int, threshold: Float?)
    /// One distribution, with marks at chosen values (grid levels, centroids).
    case histogram(TechniqueHistogram)
    /// Labeled values as horizontal bars (a teacher's probabilities).
    case bars(TechniqueBars)
    /// A series as a one-line curve between its end values (the loss over epochs).
    case curve(TechniqueCurve)

    /// How a piece of text is meant: a verdict that is good news or a warning reads apart.
    public enum Tone: Sendable, Equatable {
        case plain, accent, good, warning
    }
}

/// A histogram with marks: counts over equal bins from `lower` to `upper`.
public struct TechniqueHistogram: Sendable, Equatable {
    /// A line above the chart, if any.
    public var title: Phrase? = nil
    public var counts: [Int]
    public var lower: Double
    public var upper: Double
    /// Values to mark on the axis, and what the marks mean.
    public var markers: [Double] = []
    public var markerLegend: String? = nil
    /// Rows of bars.
    public var height: Int
    /// Decimals of the axis labels; nil: the session's precision.
    public var axisDigits: Int? = nil
    /// A line under the chart, if any.
    public var caption: Phrase? = nil
}

/// Labeled values drawn as bars from 0 to `maximum`, each with its value written beside it.
public struct TechniqueBars: Sendable, Equatable {
    /// One bar: its label, the value that sets its length, and the value written beside it.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var text: Quantity
    }

    public var bars: [Bar]
    /// The value of a full bar; nil: the largest value.
    public var maximum: Double? = nil
    /// The bar to mark (the true class), if any.
    public var marked: Int? = nil
}

/// A series as `label start ▇▅▃▂▁ end`: the curve between two end labels.
public struct TechniqueCurve: Sendable, Equatable {
    /// Text before the curve, its own spacing included (`"loss  "`).
    public var label: String
    public var values: [Double]
    /// The values at the bottom and top of the curve; nil: the smallest and largest.
    public var range: ClosedRange<Double>? = nil
    /// What the ends of the curve are labeled with.
    public var start: Quantity
    public var end: Quantity
}

extension TechniqueCurve {
    /// The curve of `values` between its first and last value at `digits` decimals (nil: the
    /// session's precision).
    public init(label: String, values: [Double], digits: Int? = nil) {
        self.init(label: label, values: values, start: .fixed(values.first ?? 0, digits: digits),
                  end: .fixed(values.last ?? 0, digits: digits))
    }
}
