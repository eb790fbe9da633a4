import _SlimKernelsAVX2
import _SlimKernelsAVX512

/// C = α·op(A)·op(B) + β·C on the fast path (see `gemmReference` for the definition and
/// the storage conventions). When β is 0, C is not read.
///
/// The classic blocked algorithm (Goto & van de Geijn, "Anatomy of high-performance matrix
/// multiplication", 2008): the reduction dimension is cut into blocks of `kc ≤ 512`; for each
/// block, op(B) is packed into zero-padded panels as wide as the micro-tile, and a
/// register-tiled micro-kernel sweeps C, reading op(A) in place. `path` picks the kernel:
/// 6×16 tiles on AVX2, 8×32 on AVX-512 and in the generic SIMD code (see `KernelPath`).
///
/// Same bits on every path and thread count (Intel MKL calls this "conditional numerical
/// reproducibility"): the block size depends on `k` alone, and within a block every element
/// of C is one chain of fused multiply-adds over `p` in ascending order, from 0, merged into
/// C by `C = α·t (+ β·C)` for the first block and `C = α·t + C` for the next. No kernel splits
/// the reduction across lanes or threads, so neither the vector width nor the tiling shows.
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    pool: ComputePool, path: KernelPath = .best
) {
    precondition(path.isAvailable, "gemm: the \(path.rawValue) path is not available on this machine/build")
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
    if m == 0 || n == 0 { return }
    precondition(ldc >= n, "gemm: ldc \(ldc) is less than n \(n)")
    precondition(k == 0 || lda >= (transA == .none ? k : m),
                 "gemm: lda \(lda) is less than the \(transA == .none ? "k \(k)" : "m \(m)") a row of A holds")
    precondition(k == 0 || ldb >= (transB == .none ? n : k),
                 "gemm: ldb \(ldb) is less than the \(transB == .none ? "n \(n)" : "k \(k)") a row of B holds")
    if k == 0 || alpha == 0 {
        scaleMatrix(c, rows: m, columns: n, ldc: ldc, beta: beta)
        return
    }
    let (mr, nr) = path.tile
    let plan = GEMMPlan(m: m, n: n, k: k, threads: pool.threadCount, mr: mr, nr: nr,
                        microseconds: 2 * Double(m) * Double(n) * Double(k) / path.roughFlopsPerMicrosecond)
    pool.scratch.withBuffer(of: Float.self, count: plan.nPanels(n) * nr * plan.kc) { bp in
    var p0 = 0
    while p0 < k {
        let depth = min(plan.kc, k - p0)
        let update: TileUpdate = p0 > 0 ? .accumulate : (beta == 0 ? .overwrite : .scaleAndAdd(beta))
        let start = p0
        // Pack this block of B (by panels of `nr` columns); A is read in place.
        let bPanels = plan.nPanels(n)
        // Small panels are packed by the caller: waking the pool would cost more.
        let bTasks = bPanels * nr * depth < 32_768 ? 1 : (bPanels + plan.packPanelsPerTask - 1) / plan.packPanelsPerTask
        let packPanelsPerTask = bTasks == 1 ? bPanels : plan.packPanelsPerTask
        pool.forEach(bTasks, parallel: plan.isParallel) { task in
            let first = task * packPanelsPerTask
            for panel in first..<min(bPanels, first + packPanelsPerTask) {
                packB(transB, b, ldb: ldb, p0: start, depth: depth, j0: 0, columns: n, panel: panel, width: nr, into: bp)
            }
        }
        let rowStride = transA == .none ? lda : 1, depthStride = transA == .none ? 1 : lda
        let aBlock = transA == .none ? a + start : a + start * lda
        // Sweep C in tiles: for each panel of B (kept in L1), every row panel of the tile's
        // rows of A (kept in L2).
        let merge: TileMerge, beta: Float
        switch update {
        case .overwrite: (merge, beta) = (0, 0)
        case .scaleAndAdd(let b): (merge, beta) = (1, b)
        case .accumulate: (merge, beta) = (2, 1)
        }
        // Tasks run down the columns: the pool deals each thread a contiguous share of tasks,
        // so each thread's tiles lie over about the panels of B that it packed just above.
        let grid = plan.grid
        pool.forEach(grid.count, parallel: grid.isParallel) { task in
            let rowPanels = grid.rows(task % grid.rowBlocks), columnPanels = grid.columns(task / grid.rowBlocks)
            for jp in columnPanels {
                let j = jp * nr
                let columns = min(nr, n - j)
                let bPanel = bp + jp * depth * nr
                for ip in rowPanels {
                    let i = ip * mr
                    let aTile = aBlock + i * rowStride, cTile = c + i * ldc + j, rows = min(mr, m - i)
                    switch path {
                    case .avx2:
                        #if arch(x86_64)
                        avx2GEMMTile6x16(depth: depth, a: aTile, rowStride: rowStride, depthStride: depthStride,
                                         b: bPanel, c: cTile, ldc: ldc, rows: rows, columns: columns,
                                         alpha: alpha, merge: merge, beta: beta)
                        #endif
                    case .avx512:
                        #if arch(x86_64)
                        avx512GEMMTile8x32(depth: depth, a: aTile, rowStride: rowStride, depthStride: depthStride,
                                           b: bPanel, c: cTile, ldc: ldc, rows: rows, columns: columns,
                                           alpha: alpha, merge: merge, beta: beta)
                        #endif
                    case .generic:
                        genericGEMMTile8x32(depth: depth, a: aTile, rowStride: rowStride, depthStride: depthStride,
                                            b: bPanel, c: cTile, ldc: ldc, rows: rows, columns: columns,
                                            alpha: alpha, update: update)
                    }
                }
            }
        }
        p0 += depth
    }
    }
}

/// How one GEMM call is cut into blocks and tasks. The reduction blocking depends only on `k`,
/// because it decides the rounding; the task grid (see `TaskGrid`: blocks of row panels of at
/// most 256 rows, whose A stays in L2, by groups of column panels) may depend on the thread
/// count, because it does not.
struct GEMMPlan {
    /// Depth of one reduction block.
    let kc: Int
    let grid: TaskGrid
    /// Panels packed per packing task.
    let packPanelsPerTask: Int
    var isParallel: Bool { grid.isParallel }

    let nr: Int

    /// `microseconds` is about how long the call takes on one thread (see `parallelTasks`).
    init(m: Int, n: Int, k: Int, threads: Int, mr: Int, nr: Int, microseconds: Double) {
        kc = gemmReductionBlock(k: k)
        self.nr = nr
        let nPanels = (n + nr - 1) / nr
        grid = TaskGrid(rowUnits: (m + mr - 1) / mr, columnUnits: nPanels, maxRowUnits: 256 / mr, threads: threads,
                        wanted: parallelTasks(threads: threads, microseconds: microseconds))
        packPanelsPerTask = max(2, nPanels / max(1, threads * 2))
    }

    func nPanels(_ n: Int) -> Int { (n + nr - 1) / nr }
}

/// How many tasks a kernel call of about `microseconds` of one-thread work is cut into: one
/// below `minimum` µs (waking a thread and waiting for its last task costs about as much as it
/// saves, and on a machine busy with other work a second thread can make a call slower), then
/// tasks of at least 3 µs, up to 4 per thread (for balance when a thread is delayed). The fp32
/// GEMM keeps the default 10 µs: it packs B on every call, and the other thread reads what the
/// caller packed. The int8 GEMM's weights are packed once, so it splits from 5 µs (on two
/// threads of a Zen 5 with AVX2 only: the int8 digits MLP at batch 256 22.6 → 17.1 µs; at
/// 5 µs the fp32 GEMM gained too, but the int8 model then lost its lead over fp32).
func parallelTasks(threads: Int, microseconds: Double, minimum: Double = 10) -> Int {
    if threads == 1 || microseconds < minimum { return 1 }
    return max(2, min(threads * 4, Int(microseconds / 3)))
}

/// The depth of the GEMM's reduction blocks for a reduction of length `k`: the fewest blocks
/// of at most 512, of equal size. It depends on `k` only, never on the path or the threads,
/// because it decides the rounding (each block is summed apart, then added to C); the sparse
/// product splits its sums at the same places to give the same bits.
public func gemmReductionBlock(k: Int) -> Int {
    let blocks = max(1, (k + 511) / 512)
    return (k + blocks - 1) / blocks
}

/// C = β·C (C = 0 when β is 0, without reading it): the whole GEMM when k or α is 0.
func scaleMatrix(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ldc: Int, beta: Float) {
    for i in 0..<rows {
        let row = c + i * ldc
        if beta == 0 {
            row.update(repeating: 0, count: columns)
        } else if beta != 1 {
            for j in 0..<columns { row[j] *= beta }
        }
    }
}
