import Foundation

/// Waits until the machine is quiet: on a shared machine other jobs' CPU use distorts timings
/// (and a 2-thread BLAS that spins collapses under it). Samples `/proc/stat` while this
/// process sleeps, so any busy time measured belongs to others.
struct QuietWait {
    /// The busy fraction of all CPUs below which the machine counts as quiet.
    var threshold = 0.10
    /// How long to wait at most before measuring anyway.
    var maximumSeconds = 600.0

    /// Returns the busy fraction last seen (for the report), after waiting for two quiet
    /// half-second samples in a row or the maximum wait.
    @discardableResult
    func wait() -> Double {
        let start = Date()
        var calm = 0
        var last = 0.0
        while Date().timeIntervalSince(start) < maximumSeconds {
            last = busyFraction(over: 0.5)
            calm = last < threshold ? calm + 1 : 0
            if calm >= 2 { break }
        }
        return last
    }

    private func busyFraction(over seconds: Double) -> Double {
        let (busy0, idle0) = jiffies()
        Thread.sleep(forTimeInterval: seconds)
        let (busy1, idle1) = jiffies()
        let total = (busy1 - busy0) + (idle1 - idle0)
        return total > 0 ? Double(busy1 - busy0) / Double(total) : 0
    }

    /// (busy, idle) jiffies summed over all CPUs.
    private func jiffies() -> (Int, Int) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first else { return (0, 0) }
        let v = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard v.count >= 5 else { return (0, 0) }
        let idle = v[3] + v[4]
        return (v.reduce(0, +) - idle - (v.count > 7 ? v[7] : 0), idle)
    }
}
