import SlimLab
/// A vertical Unicode histogram of values (weights, activations), with optional marker
/// lines at chosen values: a pruning threshold, the levels of a quantization grid.
///
/// ```
///      ┊ ▆█▄ ┊      42
///      ┊▅███▇┊
///    ▁▃┊█████┊▃▁     0
/// ─────┴─────┴─────
/// -1.00        1.00
/// ┊ ±t = 0.2500
/// ```
public struct Histogram: Sendable {
    /// How many values fell in each bin, left to right.
    public var counts: [Int]
    /// The value at the left edge of the first bin.
    public var lowerBound: Double
    /// The value at the right edge of the last bin.
    public var upperBound: Double
    /// Values to mark with a dotted vertical line (`┊`) through the chart.
    public var markers: [Double] = []
    /// What the markers mean, printed under the chart after `┊`.
    public var markerLegend: String?

    /// Bins `values` into `bins` equal bins over `range` (nil: from the smallest to the
    /// largest value) by the domain's one binning rule (`ValueHistogram`): NaN and values
    /// outside the range are left out, the last bin holds its upper edge.
    public init(values: [Double], bins: Int, range: ClosedRange<Double>? = nil) {
        let finite = values.filter { $0.isFinite }
        var low = range?.lowerBound ?? finite.min() ?? 0
        var high = range?.upperBound ?? finite.max() ?? 1
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        let binned = finite.map { Float($0) }.withUnsafeBufferPointer {
            ValueHistogram(values: $0, binCount: max(1, bins), lower: Float(low), upper: Float(high))
        }
        self.init(counts: binned.counts, lowerBound: low, upperBound: high)
    }

    /// A histogram of counts already binned over `lowerBound…upperBound`.
    public init(counts: [Int], lowerBound: Double, upperBound: Double) {
        self.counts = counts
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    static func bin(of value: Double, low: Double, high: Double, bins: Int) -> Int {
        min(bins - 1, max(0, Int(((value - low) / (high - low) * Double(bins)).rounded(.down))))
    }

    /// The chart: `height` rows of bars (one column per bin, in eighths of a row) with the
    /// largest count at the top right and 0 at the bottom right, an axis with `┴` under
    /// markers, the range at `digits` decimals, and the marker legend.
    public func render(height: Int = 8, digits: Int = 2, style: TextStyler = .plain) -> String {
        let bins = counts.count
        let peak = counts.max() ?? 0
        let markerBins = Set(markers.filter { $0 >= lowerBound && $0 <= upperBound }
            .map { Self.bin(of: $0, low: lowerBound, high: upperBound, bins: bins) })
        let eighthsPerColumn = counts.map { peak > 0 ? Int((Double($0) / Double(peak) * Double(height * 8)).rounded()) : 0 }
        let partials: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇"]
        var lines: [String] = []
        for row in (0..<height).reversed() {
            var line = ""
            for bin in 0..<bins {
                let filled = eighthsPerColumn[bin] - row * 8
                if filled >= 8 { line += style("█", .accent) }
                else if filled > 0 { line += style(String(partials[filled]), .accent) }
                else if counts[bin] > 0 && row == 0 { line += style("▁", .accent) }
                else if markerBins.contains(bin) { line += style("┊", .warning) }
                else { line += " " }
            }
            if row == height - 1 { line += " " + String(peak) }
            else if row == 0 { line += " 0" }
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        lines.append(String((0..<bins).map { markerBins.contains($0) ? "┴" : "─" }))
        let left = NumberFormatting.fixed(lowerBound, digits: digits)
        let right = NumberFormatting.fixed(upperBound, digits: digits)
        let gap = max(1, bins - DisplayWidth.of(left) - DisplayWidth.of(right))
        lines.append(left + String(repeating: " ", count: gap) + right)
        if let markerLegend, !markerBins.isEmpty { lines.append(style("┊", .warning) + " " + markerLegend) }
        return lines.joined(separator: "\n")
    }
}

extension Histogram {
    /// Blocks (a title over a chart) next to each other, `gap` columns apart, each in an equal
    /// share of `width`: titles wrap to the share and are padded to the same height, so the
    /// charts line up. Nil when a chart is wider than its share or the share is narrower than
    /// `minimumTitle`, so the caller stacks them instead.
    public static func sideBySide(_ blocks: [(title: String, chart: String)], width: Int, gap: Int = 4,
                                  minimumTitle: Int = 28) -> [String]? {
        guard !blocks.isEmpty else { return [] }
        let column = (width - gap * (blocks.count - 1)) / blocks.count
        let charts = blocks.map { $0.chart.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        guard column >= minimumTitle, charts.allSatisfy({ $0.allSatisfy { DisplayWidth.of($0) <= column } }) else { return nil }
        let titles = blocks.map { TextWrapping.wrap($0.title, width: column) }
        let titleHeight = titles.map(\.count).max() ?? 0
        let laidOut = zip(titles, charts).map { title, chart in
            title + [String](repeating: "", count: titleHeight - title.count) + chart
        }
        let widths = [Int](repeating: column, count: blocks.count)
        let height = laidOut.map(\.count).max() ?? 0
        return (0..<height).map { row in
            var line = ""
            for (index, block) in laidOut.enumerated() {
                let text = row < block.count ? block[row] : ""
                line += index == laidOut.count - 1 ? text : DisplayWidth.padRight(text, to: widths[index] + gap)
            }
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
    }
}
