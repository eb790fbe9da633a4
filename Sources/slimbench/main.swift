import Foundation
import SlimKernels
import SlimLab

/// slimbench [FILTER…] [--json] [--threads N,M] [--anchors] [--quick]
///
/// Measures SlimLab's kernels in a release build; see `--help`.
struct Options {
    var filters: [String] = []
    var json = false
    var threadCounts: [Int]? = nil
    var anchors = false
    var anchorPython = AnchorClient.defaultPython
    var anchorScript = AnchorClient.defaultScript
    var quick = false
    var list = false
    var cpuClock = false
    var waitQuiet: Double? = nil
    var rounds = 1

    static let usage = """
    usage: slimbench [FILTER…] [--json] [--threads N[,M…]] [--anchors] [--quick] [--list]
                 [--cpu-clock] [--rounds N] [--wait-quiet SECONDS]

      FILTER            run only cases whose group, kernel name or label contains it
                        (case-insensitive), e.g. `slimbench gemm`, `slimbench "square 1024"`
      --json            one JSON object per line: name, label, shape [m,n,k], threads,
                        sparsity, seconds (median), gops (rate), unit, anchor fields
      --threads LIST    thread counts to measure (default: 1 and all cores)
      --anchors         time the same work with NumPy/SciPy/onnxruntime in the same run and
                        show the ratio (needs Python with those packages: --anchor-python PATH
                        or $SLIMLAB_ANCHOR_PYTHON, default /tmp/anchorenv/bin/python)
      --anchor-script PATH   the anchor server (default: scripts/anchor_server.py of this package)
      --quick           fewer, shorter samples (for a smoke run)
      --list            list the cases without measuring
      --cpu-clock       time the thread's CPU time, not wall time (1 thread only): for
                        development on a machine busy with other jobs
      --rounds N        measure every case (and anchor) N times, interleaved, and keep the
                        best median of each: the least disturbed run on a shared machine
      --wait-quiet S    before each case, wait up to S seconds until other processes use
                        under 10 % of the CPUs
    Build in release: swift run -c release slimbench …
    """

    static func parse(_ arguments: [String]) -> Options {
        var o = Options()
        var i = 0
        func value(_ flag: String) -> String {
            i += 1
            guard i < arguments.count else { fail("\(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--json": o.json = true
            case "--anchors": o.anchors = true
            case "--quick": o.quick = true
            case "--list": o.list = true
            case "--cpu-clock": o.cpuClock = true
            case "--rounds":
                let text = value(a)
                guard let n = Int(text), n >= 1 else { fail("--rounds '\(text)': expected a whole number ≥ 1") }
                o.rounds = n
            case "--wait-quiet":
                let text = value(a)
                guard let seconds = Double(text), seconds >= 0 else {
                    fail("--wait-quiet '\(text)': expected the most seconds to wait per case, e.g. 60")
                }
                o.waitQuiet = seconds
            case "--anchor-python": o.anchorPython = value(a)
            case "--anchor-script": o.anchorScript = value(a)
            case "--threads":
                let text = value(a)
                let counts = text.split(separator: ",").map { Int($0) }
                guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                    fail("--threads '\(text)': expected positive integers separated by commas, e.g. 1,2")
                }
                o.threadCounts = counts.map { $0! }
            case "-h", "--help":
                print(usage)
                exit(0)
            default:
                if a.hasPrefix("-") { fail("unknown option '\(a)'") }
                o.filters.append(a.lowercased())
            }
            i += 1
        }
        return o
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("slimbench: \(message)\n\n\(usage)\n".utf8))
        exit(2)
    }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let cores = ComputePool.availableCores
let context = BenchmarkContext(threadCounts: options.threadCounts ?? (cores > 1 ? [1, cores] : [1]))
var timing = Timing()
if options.quick { timing.minimumSampleSeconds = 0.005; timing.samples = 3 }
if options.cpuClock {
    guard context.threadCounts == [1] else { Options.fail("--cpu-clock measures one thread: add --threads 1") }
    timing.threadCPUClock = true
}

var anchorClient: AnchorClient? = nil
if options.anchors {
    do {
        anchorClient = try AnchorClient(python: options.anchorPython, script: options.anchorScript,
                                        threadCPUClock: options.cpuClock)
    } catch {
        Options.fail("\(error)")
    }
}

func selected(_ group: any BenchmarkGroup, _ c: BenchmarkCase) -> Bool {
    if options.filters.isEmpty { return true }
    let haystack = [group.name, c.name, c.label].map { $0.lowercased() }
    return options.filters.contains { f in haystack.contains { $0.contains(f) } }
}

let report = Report(json: options.json, anchors: options.anchors)
var measuredAny = false
for group in benchmarkGroups {
    let cases = group.cases(context).filter { selected(group, $0) }
    if cases.isEmpty { continue }
    if options.list {
        for c in cases { print("\(group.name)\t\(c.name)\t\(c.label)\t\(c.shape)\tthreads \(c.threads)") }
        continue
    }
    if !measuredAny { report.header(Machine.current(), threadCounts: context.threadCounts, timing: timing, rounds: options.rounds) }
    report.groupHeader(group)
    var done: [String: BenchmarkResult] = [:]
    // One round measures each case then its anchor, case by case. With several rounds (the
    // cases of a group are set up once and kept), each keeps its best median: on a shared
    // machine that is the run least disturbed by other jobs, for SlimLab and anchor alike.
    let bodies: [() -> Void]? = options.rounds > 1 ? cases.map { $0.prepare() } : nil
    var best: [BenchmarkResult?] = Array(repeating: nil, count: cases.count)
    for round in 1...options.rounds {
        for (index, c) in cases.enumerated() {
            let body = bodies?[index] ?? c.prepare()
            if let seconds = options.waitQuiet { QuietWait(maximumSeconds: seconds).wait() }
            let seconds = timing.measure(body).median
            let anchor = c.anchor.flatMap { request in anchorClient?.measure(request, threads: c.threads) }
            // A library's worker threads keep spinning after its last call (OpenBLAS for 2²⁸
            // cycles by default, GNU OpenMP under PyTorch for about 0.3 s): let them go to sleep
            // before the next case, or they take a CPU from its second thread (NumPy's spin once
            // made our 256×784→256 on two threads measure 0.72× NumPy; 1.0× with this pause).
            if anchor != nil && c.threads > 1 { usleep(400_000) }
            best[index] = BenchmarkResult(benchmark: c, seconds: seconds, anchor: anchor).keepingFaster(best[index])
            guard round == options.rounds, let result = best[index] else { continue }
            done["\(c.label)#\(c.threads)"] = result
            report.row(result, baseline: c.baseline.flatMap { done["\($0)#\(c.threads)"] }, note: c.note?())
            measuredAny = true
        }
    }
}
if !measuredAny && !options.list {
    FileHandle.standardError.write(Data("slimbench: no benchmark matches \(options.filters)\n".utf8))
    exit(1)
}
