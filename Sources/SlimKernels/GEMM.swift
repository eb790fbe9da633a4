/// C = α·op(A)·op(B) + β·C on the fast path (see `gemmReference` for the definition and
/// the storage conventions). When β is 0, C is not read.
///
/// The classic blocked algorithm (Goto & van de Geijn, "Anatomy of high-performance matrix
/// multiplication", 2008): the reduction dimension is cut into blocks of `kc ≤ 512`; for each
/// block, op(B) is packed into zero-padded panels of 32 columns (kept in L1 while they are
/// used), and an 8×32 register-tiled SIMD micro-kernel sweeps C, reading op(A) in place.
/// Threads share the packed panels and take disjoint tiles of C; the reduction is never split, and every element of C is the same
/// chain of fused multiply-adds whoever computes it, so results are bit-identical for any
/// `pool.threadCount`.
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    pool: ComputePool
) {
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
    let plan = GEMMPlan(m: m, n: n, k: k, threads: pool.threadCount)
    let mPanels = (m + gemmMR - 1) / gemmMR
    pool.scratch.withBuffer(of: Float.self, count: plan.nPanels(n) * gemmNR * plan.kc) { bp in
    var p0 = 0
    while p0 < k {
        let depth = min(plan.kc, k - p0)
        let update: TileUpdate = p0 > 0 ? .accumulate : (beta == 0 ? .overwrite : .scaleAndAdd(beta))
        let start = p0
        // Pack this block of B (by panels of 32 columns); A is read in place.
        let bPanels = plan.nPanels(n)
        // Small panels are packed by the caller: waking the pool would cost more.
        let bTasks = bPanels * gemmNR * depth < 32_768 ? 1 : (bPanels + plan.packPanelsPerTask - 1) / plan.packPanelsPerTask
        let packPanelsPerTask = bTasks == 1 ? bPanels : plan.packPanelsPerTask
        pool.parallelFor(bTasks) { task in
            let first = task * packPanelsPerTask
            for panel in first..<min(bPanels, first + packPanelsPerTask) {
                packB(transB, b, ldb: ldb, p0: start, depth: depth, j0: 0, columns: n, panel: panel, into: bp)
            }
        }
        let rowStride = transA == .none ? lda : 1, depthStride = transA == .none ? 1 : lda
        let aBlock = transA == .none ? a + start : a + start * lda
        // Sweep C in tiles: for each 32-column panel of B (kept in L1), every 8-row panel of
        // the tile's rows of A (kept in L2).
        pool.parallelFor(plan.rowTiles * plan.columnTiles) { task in
            let rowTile = task / plan.columnTiles, columnTile = task % plan.columnTiles
            let firstRowPanel = rowTile * plan.rowPanelsPerTile
            let lastRowPanel = min(mPanels, firstRowPanel + plan.rowPanelsPerTile)
            let firstColumnPanel = columnTile * plan.columnPanelsPerTile
            let lastColumnPanel = min(bPanels, firstColumnPanel + plan.columnPanelsPerTile)
            for jp in firstColumnPanel..<lastColumnPanel {
                let j = jp * gemmNR
                let columns = min(gemmNR, n - j)
                let bPanel = bp + jp * depth * gemmNR
                for ip in firstRowPanel..<lastRowPanel {
                    let i = ip * gemmMR
                    if columns <= 16 {
                        microKernel8x16(depth: depth, a: aBlock + i * rowStride, rowStride: rowStride,
                                        depthStride: depthStride, b: bPanel,
                                        c: c + i * ldc + j, ldc: ldc, rows: min(gemmMR, m - i), columns: columns,
                                        alpha: alpha, update: update)
                    } else {
                        microKernel8x32(depth: depth, a: aBlock + i * rowStride, rowStride: rowStride,
                                        depthStride: depthStride, b: bPanel,
                                        c: c + i * ldc + j, ldc: ldc, rows: min(gemmMR, m - i), columns: columns,
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
/// because it decides the rounding; the task grid may depend on the thread count, because it
/// does not.
struct GEMMPlan {
    /// Depth of one reduction block.
    let kc: Int
    /// Panels of 8 rows of C per task.
    let rowPanelsPerTile: Int
    /// Panels of 32 columns of C per task.
    let columnPanelsPerTile: Int
    let rowTiles: Int
    let columnTiles: Int
    /// Panels packed per packing task.
    let packPanelsPerTask: Int

    init(m: Int, n: Int, k: Int, threads: Int) {
        let blocks = (k + 511) / 512
        kc = (k + blocks - 1) / blocks
        let mPanels = (m + gemmMR - 1) / gemmMR, nPanels = (n + gemmNR - 1) / gemmNR
        // Row tiles of at most 256 rows (A block in L2); split columns too when rows alone
        // give too few tasks for the threads.
        var rowPanels = min(mPanels, 32)
        var columnPanels = nPanels
        // Below about a microsecond of work per thread, one thread is faster than waking others.
        let flops = 2 * Double(m) * Double(n) * Double(k)
        let wanted = threads == 1 || flops < 1_000_000 ? 1 : threads * 4
        func tiles() -> Int { ((mPanels + rowPanels - 1) / rowPanels) * ((nPanels + columnPanels - 1) / columnPanels) }
        while tiles() < wanted && (columnPanels > 2 || rowPanels > 4) {
            if columnPanels > 2 && (columnPanels >= rowPanels / 2 || rowPanels <= 4) {
                columnPanels = (columnPanels + 1) / 2
            } else {
                rowPanels = (rowPanels + 1) / 2
            }
        }
        rowPanelsPerTile = rowPanels
        columnPanelsPerTile = columnPanels
        rowTiles = (mPanels + rowPanels - 1) / rowPanels
        columnTiles = (nPanels + columnPanels - 1) / columnPanels
        packPanelsPerTask = max(2, nPanels / max(1, threads * 2))
    }

    func nPanels(_ n: Int) -> Int { (n + gemmNR - 1) / gemmNR }
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
