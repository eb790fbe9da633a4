import _SlimKernelsAVX2
import _SlimKernelsAVX512

/// Which int8 GEMM implementation runs. All give bit-identical results (integers are exact).
public enum Int8GEMMPath: String, Sendable, CaseIterable {
    /// Swift SIMD integer arithmetic on int16 pairs, on any CPU.
    case portable
    /// AVX2 `vpmaddwd` on int16-widened operands (exact; see `avx2Int8Tile6x16` for why not
    /// `vpmaddubsw`).
    case avx2
    /// AVX-512 VNNI `vpdpbusd` (u8 × s8 → s32), where the CPU has it and the build carries it.
    case vnni

    /// The fastest path this process runs (capped like `KernelPath.best`).
    public static var best: Int8GEMMPath {
        switch KernelPath.best {
        case .avx512: return .vnni
        case .avx2: return .avx2
        case .generic: return .portable
        }
    }

    /// Whether this path can run here (compiled in, and supported by the CPU).
    public var isAvailable: Bool {
        switch self {
        case .portable: return true
        case .avx2: return KernelPath.avx2.isAvailable
        case .vnni: return KernelPath.avx512.isAvailable
        }
    }

    /// The path's name with its instruction, e.g. `avx2 (vpmaddwd)`.
    public var displayName: String {
        switch self {
        case .portable: return "generic"
        case .avx2: return "avx2 (vpmaddwd)"
        case .vnni: return "avx512 (vpdpbusd)"
        }
    }

    /// Rows × columns of the micro-tile, and whether it reads the VNNI layout (4-byte groups)
    /// rather than int16 pairs.
    var tile: (rows: Int, columns: Int, vnniLayout: Bool) {
        switch self {
        case .vnni: return (12, 32, true)
        case .avx2, .portable: return (6, 16, false)
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
    runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights, pool: pool, path: path) {
        tile in
        for i in 0..<tile.rows {
            (c + (tile.row0 + i) * ldc + tile.column0).update(from: tile.accumulators + i * tile.ldAcc, count: tile.columns)
        }
    }
}

/// The quantized Dense layer: int8 activations × int8 weights, accumulated exactly in int32,
/// then requantized to int8 in the same pass (bias, scale, zero point, optional ReLU; see
/// `Int8Requantization`).
public func gemmInt8(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, requantization r: Int8Requantization,
    c: UnsafeMutablePointer<Int8>, ldc: Int,
    pool: ComputePool, path: Int8GEMMPath = .best
) {
    let n = weights.outputCount
    precondition(r.bias == nil || r.bias!.count == n, "gemmInt8: \(r.bias!.count) biases for \(n) outputs")
    precondition(r.outputScale > 0 && r.outputScale.isFinite, "gemmInt8: output scale \(r.outputScale) must be finite and > 0")
    precondition(r.outputZeroPoint >= -128 && r.outputZeroPoint <= 127, "gemmInt8: output zero point \(r.outputZeroPoint) outside -128…127")
    let multipliers = (0..<n).map { r.multiplier(weightScale: weights.scale($0)) }
    let bias = r.bias ?? [Int32](repeating: 0, count: n)
    let low = r.relu ? Float(r.outputZeroPoint) : -128
    let zero = Float(r.outputZeroPoint)
    multipliers.withUnsafeBufferPointer { mb in
        bias.withUnsafeBufferPointer { bb in
            runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights, pool: pool, path: path) {
                tile in
                let mp = mb.baseAddress! + tile.column0, bp = bb.baseAddress! + tile.column0
                for i in 0..<tile.rows {
                    let accRow = tile.accumulators + i * tile.ldAcc
                    let out = c + (tile.row0 + i) * ldc + tile.column0
                    var j = 0
                    let lowVector = SIMD16<Float>(repeating: low), highVector = SIMD16<Float>(repeating: 127)
                    while j + 16 <= tile.columns {
                        let acc = UnsafeRawPointer(accRow + j).loadUnaligned(as: SIMD16<Int32>.self)
                            &+ UnsafeRawPointer(bp + j).loadUnaligned(as: SIMD16<Int32>.self)
                        var v = roundedHalfEvenForClamping(
                            SIMD16<Float>(acc) * UnsafeRawPointer(mp + j).loadUnaligned(as: SIMD16<Float>.self)) + zero
                        v.replace(with: lowVector, where: v .< lowVector)
                        v.replace(with: highVector, where: v .> highVector)
                        // The codes go back into the accumulator row; narrowing them in this loop
                        // would make LLVM split every vector operation into 128-bit pieces.
                        UnsafeMutableRawPointer(accRow + j).storeBytes(of: smallIntegers(v), as: SIMD16<Int32>.self)
                        j += 16
                    }
                    narrowCodes(accRow, count: j, into: out)
                    while j < tile.columns {
                        let v = roundedHalfEvenForClamping(Float(accRow[j] &+ bp[j]) * mp[j]) + zero
                        out[j] = Int8(v < low ? low : (v > 127 ? 127 : v))
                        j += 1
                    }
                }
            }
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
    let scales = (0..<n).map { d.activationScale * weights.scale($0) }
    let bias = d.bias ?? [Float](repeating: 0, count: n)
    let relu = d.relu
    scales.withUnsafeBufferPointer { sb in
        bias.withUnsafeBufferPointer { bb in
            runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights, pool: pool, path: path) {
                tile in
                let sp = sb.baseAddress! + tile.column0, bp = bb.baseAddress! + tile.column0
                for i in 0..<tile.rows {
                    let accRow = tile.accumulators + i * tile.ldAcc
                    let out = c + (tile.row0 + i) * ldc + tile.column0
                    var j = 0
                    while j + 16 <= tile.columns {
                        let acc = SIMD16<Float>(UnsafeRawPointer(accRow + j).loadUnaligned(as: SIMD16<Int32>.self))
                        var v = acc * UnsafeRawPointer(sp + j).loadUnaligned(as: SIMD16<Float>.self)
                            + UnsafeRawPointer(bp + j).loadUnaligned(as: SIMD16<Float>.self)
                        if relu { v.replace(with: 0, where: .!(v .> 0)) }
                        UnsafeMutableRawPointer(out + j).storeBytes(of: v, as: SIMD16<Float>.self)
                        j += 16
                    }
                    while j < tile.columns {
                        var v = Float(accRow[j]) * sp[j] + bp[j]
                        if relu && !(v > 0) { v = 0 }
                        out[j] = v
                        j += 1
                    }
                }
            }
        }
    }
}

/// A finished block of exact accumulators, handed to an epilogue: rows `row0 ..< row0+rows`
/// and columns `column0 ..< column0+columns` of C.
struct Int8Tile {
    var row0: Int, rows: Int
    var column0: Int, columns: Int
    var accumulators: UnsafeMutablePointer<Int32>
    var ldAcc: Int
}

/// How the int8 GEMM is cut into tasks: blocks of up to 8 micro-tiles of rows (whose packed
/// activations stay in L2) by groups of weight panels (each streamed through L1
/// once per row block), split further when there are too few tasks for the threads.
struct Int8Plan {
    let rowTilesPerBlock: Int
    let panelsPerGroup: Int
    let rowBlocks: Int
    let columnGroups: Int

    init(m: Int, n: Int, k: Int, threads: Int, mr: Int, nr: Int) {
        let rowTiles = (m + mr - 1) / mr, panels = (n + nr - 1) / nr
        var perBlock = min(rowTiles, 96 / mr)
        var perGroup = panels
        // Below a few microseconds of work, one thread is faster than waking the others.
        let operations = 2 * Double(m) * Double(n) * Double(k)
        let wanted = threads == 1 || operations < 2_000_000 ? 1 : threads * 4
        func tasks() -> Int { ((rowTiles + perBlock - 1) / perBlock) * ((panels + perGroup - 1) / perGroup) }
        while tasks() < wanted && (perGroup > 2 || perBlock > 2) {
            if perGroup > 2 && (perGroup >= perBlock || perBlock <= 2) { perGroup = (perGroup + 1) / 2 }
            else { perBlock = (perBlock + 1) / 2 }
        }
        rowTilesPerBlock = perBlock
        panelsPerGroup = perGroup
        rowBlocks = (rowTiles + perBlock - 1) / perBlock
        columnGroups = (panels + perGroup - 1) / perGroup
    }
}

/// Computes exact accumulators tile group by tile group (in parallel) and hands each to
/// `epilogue`.
func runInt8GEMM(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, pool: ComputePool, path: Int8GEMMPath,
    epilogue: (Int8Tile) -> Void
) {
    let n = weights.outputCount, k = weights.inputCount
    precondition(m >= 0 && (lda >= k || m == 0), "gemmInt8: lda \(lda) < k \(k)")
    precondition(aZeroPoint >= -128 && aZeroPoint <= 127, "gemmInt8: activation zero point \(aZeroPoint) outside -128…127")
    precondition(path.isAvailable, "gemmInt8: the \(path.rawValue) path is not available on this machine/build")
    if m == 0 || n == 0 { return }
    let (mr, nr, vnniLayout) = path.tile
    // Steps of the micro-kernel: 4-byte groups (VNNI) or int16 pairs, 4 bytes per row either way.
    let steps = vnniLayout ? weights.paddedInputCount / 4 : weights.paddedInputCount / 2
    let panelBytes = steps * nr * 4
    let weightPanels = vnniLayout ? UnsafeRawPointer(weights.panels.pointer) : UnsafeRawPointer(weights.pairPanels.pointer)
    let plan = Int8Plan(m: m, n: n, k: k, threads: pool.threadCount, mr: mr, nr: nr)
    let columnSums = weights.columnSums
    let symmetric = weights.isSymmetric
    let weightZeroPoints = (0..<n).map { weights.zeroPoint($0) }
    let kTimesZa = Int32(truncatingIfNeeded: k) &* aZeroPoint
    // Σ(a − z_a)(w − z_w) = Σ(a+128)·w − (128 + z_a)·Σw − z_w·Σa + k·z_a·z_w: everything but the
    // raw sum and the z_w·Σa term depends on the column only.
    let columnOffsets = (0..<n).map { j in
        kTimesZa &* weightZeroPoints[j] &- (128 &+ aZeroPoint) &* columnSums[j]
    }
    pool.parallelFor(plan.rowBlocks * plan.columnGroups) { task in
        let block = task / plan.columnGroups, group = task % plan.columnGroups
        let row0 = block * plan.rowTilesPerBlock * mr
        let rows = min(plan.rowTilesPerBlock * mr, m - row0)
        let tiles = (rows + mr - 1) / mr
        let panel0 = group * plan.panelsPerGroup
        let panelCount = min(plan.panelsPerGroup, (n + nr - 1) / nr - panel0)
        let column0 = panel0 * nr
        let columns = min(panelCount * nr, n - column0)
        let ldAcc = panelCount * nr
        let packedBytes = (tiles * mr * steps * 4 + 63) / 64 * 64
        let rowSumBytes = (tiles * mr * 4 + 63) / 64 * 64
        pool.scratch.withBuffer(byteCount: packedBytes + rowSumBytes + tiles * mr * ldAcc * 4) { scratch in
        let packed = scratch
        let rowSums = (scratch + packedBytes).bindMemory(to: Int32.self, capacity: tiles * mr)
        let acc = (scratch + packedBytes + rowSumBytes).bindMemory(to: Int32.self, capacity: tiles * mr * ldAcc)
        if vnniLayout {
            packActivationGroups(a + row0 * lda, lda: lda, rows: rows, k: k, groups: steps, into: packed,
                                 rowSums: symmetric ? nil : rowSums)
        } else {
            packActivationPairs(a + row0 * lda, lda: lda, rows: rows, k: k, pairs: steps, into: packed,
                                rowSums: symmetric ? nil : rowSums)
        }
        for p in 0..<panelCount {
            let wPanel = weightPanels + (panel0 + p) * panelBytes
            for t in 0..<tiles {
                let aTile = UnsafeRawPointer(packed + t * mr * steps * 4)
                let out = acc + t * mr * ldAcc + p * nr
                switch path {
                case .vnni:
                    #if arch(x86_64)
                    if n - (panel0 + p) * nr <= 16 {
                        vnniTile12x16(groups: steps, a: aTile, b: wPanel, c: out, ldc: ldAcc)
                    } else {
                        vnniTile12x32(groups: steps, a: aTile, b: wPanel, c: out, ldc: ldAcc)
                    }
                    #endif
                case .avx2:
                    #if arch(x86_64)
                    avx2Int8Tile6x16(pairs: steps, a: aTile, b: wPanel, c: out, ldc: ldAcc)
                    #endif
                case .portable:
                    portableInt8Tile6x16(pairs: steps, a: aTile, b: wPanel, c: out, ldc: ldAcc)
                }
            }
        }
        // Undo the +128 shift and apply the zero points (see `columnOffsets`).
        columnOffsets.withUnsafeBufferPointer { offsets in
            weightZeroPoints.withUnsafeBufferPointer { zeros in
                let offsetsHere = offsets.baseAddress! + column0, zerosHere = zeros.baseAddress! + column0
                for i in 0..<rows {
                    let row = acc + i * ldAcc
                    if symmetric {
                        for j in 0..<columns { row[j] = row[j] &+ offsetsHere[j] }
                    } else {
                        let rowSum = rowSums[i]
                        for j in 0..<columns { row[j] = row[j] &+ offsetsHere[j] &- zerosHere[j] &* rowSum }
                    }
                }
            }
        }
        epilogue(Int8Tile(row0: row0, rows: rows, column0: column0, columns: columns, accumulators: acc, ldAcc: ldAcc))
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
