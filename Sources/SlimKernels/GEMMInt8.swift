import _SlimKernelsShared
import _SlimKernelsAVX2
import _SlimKernelsAVXVNNI
import _SlimKernelsAVX512

/// Which int8 GEMM implementation runs. All give bit-identical results (integers are exact).
public enum Int8GEMMPath: String, Sendable, CaseIterable {
    /// Integer arithmetic on int16 pairs on any CPU: SSE2 `pmaddwd` on x86-64, Swift SIMD
    /// elsewhere.
    case portable
    /// AVX2 `vpmaddwd` on int16-widened operands (exact; see `avx2Int8Tile6x16` for why not
    /// `vpmaddubsw`).
    case avx2
    /// AVX-VNNI: the 256-bit `vpdpbusd` (u8 × s8 → s32) of CPUs that have it without AVX-512
    /// (Intel since Alder Lake; AMD Zen 5 has both).
    case avxVNNI = "avxvnni"
    /// AVX-512 VNNI `vpdpbusd` (u8 × s8 → s32), where the CPU has it and the build carries it.
    case vnni

    /// The fastest path this process runs, capped like `KernelPath.best` (`SLIMLAB_KERNELS=avx2`
    /// runs `vpmaddwd` even where the CPU has AVX-VNNI; `avxvnni` stops there).
    public static var best: Int8GEMMPath {
        switch KernelPath.best {
        case .avx512: return .vnni
        case .avx2: return KernelCap.current >= .avxVNNI && avxVNNI.isAvailable ? .avxVNNI : .avx2
        case .generic: return .portable
        }
    }

    /// Whether this path can run here (compiled in, and supported by the CPU).
    public var isAvailable: Bool {
        switch self {
        case .portable: return true
        case .avx2: return KernelPath.avx2.isAvailable
        case .avxVNNI: return avxVNNIKernelsCompiled && KernelPath.avx2.isAvailable && CPUFeatures.current.hasAVXVNNI
        case .vnni: return KernelPath.avx512.isAvailable
        }
    }

    /// The path's name with its instruction, e.g. `avx2 (vpmaddwd)`.
    public var displayName: String {
        switch self {
        case .portable:
            #if arch(x86_64)
            return "sse2 (pmaddwd)"
            #else
            return "generic"
            #endif
        case .avx2: return "avx2 (vpmaddwd)"
        case .avxVNNI: return "avxvnni (vpdpbusd)"
        case .vnni: return "avx512 (vpdpbusd)"
        }
    }

    /// About how many int8 multiply-adds ×2 one thread does per microsecond on this path (see
    /// `KernelPath.roughFlopsPerMicrosecond`).
    var roughOperationsPerMicrosecond: Double {
        switch self {
        case .portable: return 60_000
        case .avx2: return 240_000
        case .avxVNNI: return 500_000
        case .vnni: return 1_000_000
        }
    }

    /// Rows of the micro-tile, columns of a packed weight panel, and how the activations are
    /// read (bytes in groups of 4 for `vpdpbusd`, int16 pairs otherwise).
    var layout: (rows: Int, panelWidth: Int, operands: Int8Operands) {
        switch self {
        case .vnni: return (12, 32, .groups)
        case .avxVNNI: return (6, 32, .groups)
        case .avx2, .portable: return (6, 16, .pairs)
        }
    }
}

/// C = (A − z_a)·(W − z_w)ᵀ in exact int32: `A` is `m × k` int8 activations (rows `lda`
/// apart) with zero point `aZeroPoint`, `W` the packed `[n, k]` weights. `c` is `m × n`
/// (rows `ldc` apart). Tiles of C are split across the pool; integers are exact, so any thread
/// count and either path give the same bits.
public func gemmInt8(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, c: UnsafeMutablePointer<Int32>, ldc: Int,
    pool: ComputePool, path: Int8GEMMPath = .best
) {
    runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights,
                output: Int8Output(kind: .int32, c: UnsafeMutableRawPointer(c), ldc: ldc), pool: pool, path: path)
}

/// The quantized Dense layer: int8 activations × int8 weights, accumulated exactly in int32,
/// then requantized to int8 codes in the same pass (bias, scale, zero point, clamp to the
/// output's code range, optional ReLU; see `Int8Requantization`).
public func gemmInt8(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, requantization r: Int8Requantization,
    c: UnsafeMutablePointer<Int8>, ldc: Int,
    pool: ComputePool, path: Int8GEMMPath = .best
) {
    let n = weights.outputCount
    precondition(r.bias == nil || r.bias!.count == n, "gemmInt8: \(r.bias!.count) biases for \(n) outputs")
    precondition(r.outputScale > 0 && r.outputScale.isFinite, "gemmInt8: output scale \(r.outputScale) must be finite and > 0")
    precondition(r.qmin >= -128 && r.qmin <= r.qmax && r.qmax <= 127,
                 "gemmInt8: output codes \(r.qmin)…\(r.qmax) are not a range within -128…127")
    precondition(r.outputZeroPoint >= r.qmin && r.outputZeroPoint <= r.qmax,
                 "gemmInt8: output zero point \(r.outputZeroPoint) outside \(r.qmin)…\(r.qmax)")
    let padded = paddedColumns(n)
    var multipliers = [Float](repeating: 0, count: padded), bias = [Int32](repeating: 0, count: padded)
    for j in 0..<n {
        multipliers[j] = r.multiplier(weightScale: weights.scale(j))
        bias[j] = r.bias?[j] ?? 0
    }
    multipliers.withUnsafeBufferPointer { mb in
        bias.withUnsafeBufferPointer { bb in
            let output = Int8Output(kind: .int8, c: UnsafeMutableRawPointer(c), ldc: ldc,
                                    integerBias: bb.baseAddress!, multipliers: mb.baseAddress!,
                                    zero: Float(r.outputZeroPoint), low: Float(r.lowestCode), high: Float(r.qmax))
            runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights, output: output, pool: pool, path: path)
        }
    }
}

/// int8 activations × int8 weights, accumulated exactly in int32, then dequantized to Float in
/// the same pass (scale, Float bias, optional ReLU; see `Int8Dequantization`): the last layer
/// of a quantized model, or a weights-and-activations-int8 layer feeding Float code.
public func gemmInt8(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, dequantization d: Int8Dequantization,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    pool: ComputePool, path: Int8GEMMPath = .best
) {
    let n = weights.outputCount
    precondition(d.bias == nil || d.bias!.count == n, "gemmInt8: \(d.bias!.count) biases for \(n) outputs")
    let padded = paddedColumns(n)
    var scales = [Float](repeating: 0, count: padded), bias = [Float](repeating: 0, count: padded)
    for j in 0..<n {
        scales[j] = d.activationScale * weights.scale(j)
        bias[j] = d.bias?[j] ?? 0
    }
    scales.withUnsafeBufferPointer { sb in
        bias.withUnsafeBufferPointer { bb in
            let output = Int8Output(kind: .float, c: UnsafeMutableRawPointer(c), ldc: ldc,
                                    scales: sb.baseAddress!, floatBias: bb.baseAddress!, relu: d.relu)
            runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights, output: output, pool: pool, path: path)
        }
    }
}

/// Runs `body` with `bytes` of 64-byte-aligned scratch: on the stack when small, else from the
/// pool's arena (large fresh allocations would page-fault in on every call).
@inline(__always)
func withScratch(_ bytes: Int, pool: ComputePool, _ body: (UnsafeMutableRawPointer) -> Void) {
    if bytes <= 16_384 {
        withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 64) { body($0.baseAddress!) }
    } else {
        pool.scratch.withBuffer(byteCount: bytes, body)
    }
}

/// Per-column arrays are padded to whole panels of the widest layout, so that the epilogue
/// always reads full vectors.
func paddedColumns(_ n: Int) -> Int { (n + 31) / 32 * 32 }

/// How the int8 GEMM is cut into tasks (see `TaskGrid`): blocks of row tiles of at most 96
/// rows (whose activations stay in L2) by groups of weight panels (each streamed through L1
/// once per row block); from 5 µs of work in parallel (see `parallelTasks`).
func int8TaskGrid(m: Int, n: Int, threads: Int, mr: Int, nr: Int, microseconds: Double) -> TaskGrid {
    TaskGrid(rowUnits: (m + mr - 1) / mr, columnUnits: (n + nr - 1) / nr, maxRowUnits: 96 / mr, threads: threads,
             wanted: parallelTasks(threads: threads, microseconds: microseconds, minimum: 5))
}

/// Splits the GEMM into tasks (in parallel) and runs each on `path`'s kernel target, which
/// prepares the activations, computes the exact sums and writes `output`.
func runInt8GEMM(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, output: Int8Output, pool: ComputePool, path: Int8GEMMPath
) {
    let n = weights.outputCount, k = weights.inputCount
    precondition(m >= 0 && (lda >= k || m == 0), "gemmInt8: lda \(lda) < k \(k)")
    precondition(aZeroPoint >= -128 && aZeroPoint <= 127, "gemmInt8: activation zero point \(aZeroPoint) outside -128…127")
    precondition(path.isAvailable, "gemmInt8: the \(path.rawValue) path is not available on this machine/build")
    precondition(output.ldc >= n || m == 0, "gemmInt8: ldc \(output.ldc) < n \(n)")
    if m == 0 || n == 0 { return }
    let (mr, nr, operands) = path.layout
    // Steps of the micro-kernel: 4-byte groups (VNNI) or int16 pairs, 4 bytes per row either way.
    let steps = operands == .groups ? weights.paddedInputCount / 4 : weights.paddedInputCount / 2
    let panelBytes = steps * nr * 4
    let weightPanels = operands == .groups ? UnsafeRawPointer(weights.panels.pointer) : UnsafeRawPointer(weights.pairPanels.pointer)
    let grid = int8TaskGrid(m: m, n: n, threads: pool.threadCount, mr: mr, nr: nr,
                            microseconds: 2 * Double(m) * Double(n) * Double(k) / path.roughOperationsPerMicrosecond)
    // Σ(a − z_a)(w − z_w) = Σa·w − z_a·Σw − z_w·Σa + k·z_a·z_w: everything but the sum of
    // products and the z_w·Σa term depends on the column only, and starts each column's sum.
    let padded = paddedColumns(n)
    var columnOffsets = [Int32](repeating: 0, count: padded)
    var weightZeroPoints = [Int32](repeating: 0, count: padded)
    let kTimesZa = Int32(truncatingIfNeeded: k) &* aZeroPoint
    for j in 0..<n {
        weightZeroPoints[j] = weights.zeroPoint(j)
        columnOffsets[j] = kTimesZa &* weightZeroPoints[j] &- aZeroPoint &* weights.columnSums[j]
    }
    let symmetric = weights.isSymmetric
    columnOffsets.withUnsafeBufferPointer { offsets in
    weightZeroPoints.withUnsafeBufferPointer { zeros in
    pool.forEach(grid.count, parallel: grid.isParallel) { index in
        let tiles = grid.rows(index / grid.columnGroups), panels = grid.columns(index % grid.columnGroups)
        let row0 = tiles.lowerBound * mr, rows = min(tiles.upperBound * mr, m) - row0
        let panel0 = panels.lowerBound, panelCount = panels.count
        // Small scratch (the tile and row sums of an in-place task) on the stack: tasks of a
        // few microseconds on two threads were slowed by taking turns at the pool's arena.
        let bytes = Int8Task.scratchBytes(rows: rows, steps: steps, inPlace: Int8Task.readsInPlace(operands, k: k))
        withScratch(bytes, pool: pool) { scratch in
            let task = Int8Task(a: a + row0 * lda, lda: lda, row0: row0, rows: rows, k: k, steps: steps,
                                weights: weightPanels, panelBytes: panelBytes, panel0: panel0, panelCount: panelCount,
                                n: n, columnOffsets: offsets.baseAddress!,
                                weightZeroPoints: symmetric ? nil : zeros.baseAddress!, scratch: scratch)
            switch path {
            case .vnni:
                #if arch(x86_64)
                avx512Int8Task(task, output)
                #endif
            case .avxVNNI:
                #if arch(x86_64)
                avxVNNIInt8Task(task, output)
                #endif
            case .avx2:
                #if arch(x86_64)
                avx2Int8Task(task, output)
                #endif
            case .portable:
                portableInt8Task(task, output)
            }
        }
    }
    }
    }
}

/// The readable definition of `gemmInt8`: `C[i, j] = Σₚ (a[i,p] − z_a)(w[j,p] − z_w[j])` with
/// unpacked `[n, k]` weights (rows `ldw` apart) and one or `n` weight zero points.
public func gemmInt8Reference(
    m: Int, n: Int, k: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    w: UnsafePointer<Int8>, ldw: Int, weightZeroPoints: [Int32],
    c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            let zw = weightZeroPoints.count == 1 ? weightZeroPoints[0] : weightZeroPoints[j]
            var sum = 0
            for p in 0..<k {
                sum += (Int(a[i * lda + p]) - Int(aZeroPoint)) * (Int(w[j * ldw + p]) - Int(zw))
            }
            c[i * ldc + j] = Int32(truncatingIfNeeded: sum)
        }
    }
}
