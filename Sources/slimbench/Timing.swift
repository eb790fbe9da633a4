import Foundation

/// The timing rule for every case: warm up, calibrate an inner loop so one sample lasts at
/// least `minimumSampleSeconds`, take `samples` samples, report the median time per call
/// (and the minimum, for reference).
struct Timing {
    var minimumSampleSeconds = 0.02
    var samples = 7
    var warmUpCalls = 2
    /// Count the calling thread's CPU time instead of wall time: on a machine shared with other
    /// jobs this leaves out the time the thread was not running. Meaningful for 1 thread only.
    var threadCPUClock = false

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
        if threadCPUClock {
            var t0 = timespec(), t1 = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
            body()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
            return Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9
        }
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
