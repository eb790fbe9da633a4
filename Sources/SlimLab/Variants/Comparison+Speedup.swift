extension Comparison {
    /// How many times faster `row` runs than the baseline in the measurement `measurement`
    /// picks (per sample or per batch), so a speedup always stands beside the time it is
    /// computed from. Nil without a baseline or a measurement.
    public func speedup(of row: Row, _ measurement: KeyPath<Row, LatencyMeasurement?>) -> Double? {
        guard let reference = rows.first(where: \.isBaseline), let theirs = reference[keyPath: measurement],
              let mine = row[keyPath: measurement], mine.seconds > 0 else { return nil }
        return theirs.seconds / mine.seconds
    }
}
