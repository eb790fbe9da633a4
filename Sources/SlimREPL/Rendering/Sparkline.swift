/// A curve in one line of block characters (`▁▂▃▄▅▆▇█`), e.g. the loss over epochs.
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block per value, scaled from the smallest (`▁`) to the largest (`█`) value, or
    /// over `range` when given. NaN draws a space; equal values draw `▄`. More than
    /// `maxWidth` values are averaged into `maxWidth` buckets.
    public static func render(_ values: [Double], range: ClosedRange<Double>? = nil, maxWidth: Int = 60) -> String {
        let values = resample(values, to: maxWidth)
        let finite = values.filter { $0.isFinite }
        guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
            return String(repeating: " ", count: values.count)
        }
        return String(values.map { value -> Character in
            guard value.isFinite else { return " " }
            guard high > low else { return "▄" }
            let position = (min(high, max(low, value)) - low) / (high - low)
            return levels[min(levels.count - 1, Int(position * Double(levels.count)))]
        })
    }

    /// `first ▇▅▃▂▁ last`: the curve between its first and last values at `digits` decimals.
    public static func summary(_ values: [Double], digits: Int, maxWidth: Int = 60) -> String {
        guard let first = values.first, let last = values.last else { return "" }
        return NumberFormatting.fixed(first, digits: digits) + " " + render(values, maxWidth: maxWidth)
            + " " + NumberFormatting.fixed(last, digits: digits)
    }

    /// Averages `values` into at most `count` consecutive buckets of near-equal size.
    static func resample(_ values: [Double], to count: Int) -> [Double] {
        guard values.count > count, count > 0 else { return values }
        return (0..<count).map { bucket in
            let start = bucket * values.count / count
            let end = (bucket + 1) * values.count / count
            let slice = values[start..<end]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}
