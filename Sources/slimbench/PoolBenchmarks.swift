import SlimKernels

/// What one parallel loop of the compute pool costs by itself: 8 tasks that do nothing, and 8
/// tasks of about a microsecond each. The kernels decide by the amount of work whether a call
/// is worth more than one thread; this is the cost they weigh it against.
struct PoolBenchmarks: BenchmarkGroup {
    let name = "pool"
    let title = "compute pool: one parallel loop of 8 tasks"

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        context.threadCounts.flatMap { threads in
            [(label: "8 empty tasks", spin: 0), (label: "8 tasks of ~1 µs", spin: 1_000)].map { item in
                BenchmarkCase(name: "parallel_for", label: item.label, shape: [8, 1, 1], threads: threads,
                              operations: 0, unit: "") {
                    let pool = context.pool(threads)
                    var sums = [Double](repeating: 0, count: 8)
                    return {
                        sums.withUnsafeMutableBufferPointer { out in
                            let out = UncheckedSendable(out.baseAddress!)
                            pool.parallelFor(8) { task in
                                var x = Double(task)
                                for _ in 0..<item.spin { x = x * 0.999_999 + 1e-9 }
                                out.value[task] = x
                            }
                        }
                        blackHole(sums)
                    }
                }
            }
        }
    }
}
