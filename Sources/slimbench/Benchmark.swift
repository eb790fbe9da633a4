import SlimKernels

/// One measured operation: what it is (for the table and the JSON line), how much work one
/// call does (for GFLOP/s or GOP/s), and how to set it up. `prepare` allocates inputs and
/// returns the timed body, so unselected cases cost nothing.
struct BenchmarkCase {
    /// The kernel family, the JSON `name`: `gemm_f32`, `gemm_i8`, `spmm_f32`, …
    var name: String
    /// What the row shows, e.g. "square 1024" or "MLP fwd L1".
    var label: String
    /// `[m, n, k]` of the product (or the closest meaning for other kernels).
    var shape: [Int]
    var threads: Int
    /// Fraction of zeros in the sparse operand, where that applies.
    var sparsity: Double? = nil
    /// Arithmetic operations per call (2·m·n·k for a GEMM); 0 when a rate makes no sense.
    var operations: Double
    /// The unit of `operations / seconds` in the table: "GFLOP/s", "GOP/s" or "GB/s".
    var unit: String = "GFLOP/s"
    /// The same work done by an established library, measured side by side under `--anchors`.
    var anchor: AnchorRequest? = nil
    /// The label of a case in the same group and thread count to show a speed-up against
    /// (a sparse kernel against the dense GEMM of the same shape).
    var baseline: String? = nil
    /// A line printed under the row once it ran (text mode), or a `note` field (JSON): what a
    /// case found besides its time, e.g. a measured crossover density.
    var note: (() -> String?)? = nil
    var prepare: () -> (() -> Void)
}

/// What every benchmark group may use: the thread counts to measure and a pool for each.
struct BenchmarkContext {
    /// Thread counts to measure at: 1 and all cores (just 1 on a single core).
    let threadCounts: [Int]
    private let pools: [Int: ComputePool]

    init(threadCounts: [Int]) {
        self.threadCounts = threadCounts
        var pools: [Int: ComputePool] = [:]
        for t in threadCounts { pools[t] = ComputePool(threads: t) }
        self.pools = pools
    }

    func pool(_ threads: Int) -> ComputePool { pools[threads] ?? ComputePool(threads: threads) }
}

/// A named family of benchmarks. To add one: write a type conforming to this in its own file
/// and list it in `benchmarkGroups` (BenchmarkRegistry.swift).
protocol BenchmarkGroup: Sendable {
    /// The group's name, matched by `slimbench FILTER` (with case names and labels).
    var name: String { get }
    /// One line for the table heading.
    var title: String { get }
    func cases(_ context: BenchmarkContext) -> [BenchmarkCase]
}

/// Random Floats in [-1, 1), seeded, for benchmark inputs.
func benchmarkFloats(_ count: Int, seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in g.uniform(-1, 1) }
}

/// Random int8 codes, seeded.
func benchmarkInt8(_ count: Int, seed: UInt64) -> [Int8] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Int8(truncatingIfNeeded: g.next()) }
}

/// Keeps a value alive (and its writes observable) past the timed loop.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
