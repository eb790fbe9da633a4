import Foundation

/// One finished measurement.
struct BenchmarkResult {
    var benchmark: BenchmarkCase
    var seconds: Double
    var anchor: Result<AnchorResult, AnchorError>?

    /// This result or `other`, whichever ran faster, for SlimLab and for the anchor separately.
    func keepingFaster(_ other: BenchmarkResult?) -> BenchmarkResult {
        guard let other else { return self }
        var result = seconds <= other.seconds ? self : other
        switch (anchor, other.anchor) {
        case let (.success(a)?, .success(b)?): result.anchor = .success(a.seconds <= b.seconds ? a : b)
        case (.success?, _): result.anchor = anchor
        default: result.anchor = other.anchor ?? anchor
        }
        return result
    }

    var rate: Double { benchmark.operations > 0 ? benchmark.operations / seconds / 1e9 : 0 }
    var anchorRate: Double? {
        if case .success(let a)? = anchor, benchmark.operations > 0 { return benchmark.operations / a.seconds / 1e9 }
        return nil
    }
}

/// Writes one line to standard output at once (unbuffered, so a run written to a file or pipe
/// shows each result as it is measured).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Renders results as aligned text tables or as JSON lines.
struct Report {
    var json: Bool
    var anchors: Bool

    func header(_ machine: Machine, threadCounts: [Int], timing: Timing, rounds: Int) {
        if json { return }
        emit("slimbench — \(machine.cpuModel), \(machine.cores) cores, \(machine.features)")
        emit(machine.build)
        emit("threads measured: \(threadCounts.map(String.init).joined(separator: ", ")); "
              + "median of \(timing.samples) samples of ≥ \(Int(timing.minimumSampleSeconds * 1000)) ms after warm-up"
              + (timing.threadCPUClock ? " (thread CPU time)" : "")
              + (rounds > 1 ? "; best of \(rounds) interleaved rounds" : "")
              + (anchors ? "; anchors timed by the same rule in the same run" : ""))
    }

    func groupHeader(_ group: any BenchmarkGroup) {
        if json { return }
        emit("")
        emit("## \(group.title)")
        var columns = [pad("case", 34), pad("m×n×k", 16, right: true), pad("thr", 4, right: true),
                       pad("sparse", 7, right: true), pad("median", 11, right: true), pad("rate", 17, right: true)]
        if anchors { columns += [pad("anchor", 17, right: true), pad("ours/anchor", 12, right: true)] }
        columns.append(pad("speed-up", 9, right: true))
        emit(columns.joined(separator: " "))
    }

    func row(_ r: BenchmarkResult, baseline: BenchmarkResult?, note: String? = nil) {
        let b = r.benchmark
        if json {
            var fields: [String] = [
                "\"name\":\(quoted(b.name))", "\"label\":\(quoted(b.label))",
                "\"shape\":[\(b.shape.map(String.init).joined(separator: ","))]", "\"threads\":\(b.threads)",
                "\"sparsity\":\(b.sparsity.map { String($0) } ?? "null")",
                "\"seconds\":\(r.seconds)", "\"gops\":\(r.rate)", "\"unit\":\(quoted(b.unit))",
            ]
            if let anchor = r.anchor {
                switch anchor {
                case .success(let a):
                    fields.append("\"anchor_seconds\":\(a.seconds)")
                    fields.append("\"anchor_library\":\(quoted(a.library))")
                case .failure(let e):
                    fields.append("\"anchor_error\":\(quoted(e.description))")
                }
            }
            if let baseline { fields.append("\"speedup_vs_baseline\":\(baseline.seconds / r.seconds)") }
            if let note { fields.append("\"note\":\(quoted(note))") }
            emit("{" + fields.joined(separator: ",") + "}")
            return
        }
        var columns = [pad(b.label, 34), pad(b.shape.map(String.init).joined(separator: "×"), 16, right: true),
                       pad(String(b.threads), 4, right: true),
                       pad(b.sparsity.map { String(format: "%.0f%%", $0 * 100) } ?? "", 7, right: true),
                       pad(duration(r.seconds), 11, right: true),
                       pad(b.operations > 0 ? String(format: "%.1f %@", r.rate, b.unit) : "", 17, right: true)]
        if anchors {
            if let rate = r.anchorRate {
                columns.append(pad(String(format: "%.1f %@", rate, b.unit), 17, right: true))
                columns.append(pad(String(format: "%.2f×", rate > 0 ? r.rate / rate : 0), 12, right: true))
            } else if case .failure? = r.anchor {
                columns += [pad("error", 17, right: true), pad("", 12)]
            } else {
                columns += [pad("", 17), pad("", 12)]
            }
        }
        columns.append(pad(baseline.map { String(format: "%.2f×", $0.seconds / r.seconds) } ?? "", 9, right: true))
        emit(columns.joined(separator: " "))
        if case .failure(let e)? = r.anchor { emit("    anchor error: \(e.description)") }
        if let note { emit("    \(note)") }
    }

    private func duration(_ s: Double) -> String {
        s >= 1 ? String(format: "%.2f s", s) : s >= 1e-3 ? String(format: "%.3f ms", s * 1e3) : String(format: "%.1f µs", s * 1e6)
    }

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        if n >= width { return s }
        let space = String(repeating: " ", count: width - n)
        return right ? space + s : s + space
    }

    private func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
