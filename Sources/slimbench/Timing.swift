/// The timing rule for every case: warm up, calibrate an inner loop so one sample lasts at
/// least `minimumSampleSeconds`, take `samples` samples, report the median time per call
/// (and the minimum, for reference).
struct Timing {
    var minimumSampleSeconds = 0.02
    var samples = 7
    var warmUpCalls = 2

    func measure(_ body: () -> Void) -> (median: Double, minimum: Double) {
        for _ in 0..<warmUpCalls { body() }
        var inner = 1
        while true {
            let t = seconds { for _ in 0..<inner { body() } }
            if t >= minimumSampleSeconds || inner >= 1 << 20 { break }
            inner = max(inner * 2, Int(Double(inner) * minimumSampleSeconds / max(t, 1e-9) * 1.1))
        }
        var times: [Double] = []
        for _ in 0..<samples {
            times.append(seconds { for _ in 0..<inner { body() } } / Double(inner))
        }
        times.sort()
        return (times[times.count / 2], times[0])
    }

    private func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
