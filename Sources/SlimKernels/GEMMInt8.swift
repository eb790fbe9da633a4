/// Which int8 GEMM implementation runs. Both give bit-identical results.
public enum Int8GEMMPath: String, Sendable, CaseIterable {
    /// Plain Swift integer arithmetic, on any CPU.
    case portable
    /// AVX-512 VNNI `vpdpbusd` (u8 × s8 → s32), where the CPU has it and the build carries it.
    case vnni

    /// The fastest path this process can run.
    public static var best: Int8GEMMPath { vnni.isAvailable ? .vnni : .portable }

    /// Whether this path can run here (compiled in, and supported by the CPU).
    public var isAvailable: Bool {
        switch self {
        case .portable: return true
        case .vnni: return CPUFeatures.current.hasVNNIKernel
        }
    }
}

/// C = (A − z_a)·(W − z_w)ᵀ in exact int32: `A` is `m × k` int8 activations (rows `lda`
/// apart) with zero point `aZeroPoint`, `W` the packed `[n, k]` weights. `c` is `m × n`
/// (rows `ldc` apart). Rows of C are split across the pool, so any thread count gives the
/// same bits (integers are exact anyway).
public func gemmInt8(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, c: UnsafeMutablePointer<Int32>, ldc: Int,
    pool: ComputePool, path: Int8GEMMPath = .best
) {
    runInt8GEMM(m: m, a: a, lda: lda, aZeroPoint: aZeroPoint, weights: weights, pool: pool, path: path) {
        rows, acc, ldAcc, row0 in
        let n = weights.outputCount
        for i in 0..<rows {
            (c + (row0 + i) * ldc).update(from: acc + i * ldAcc, count: n)
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
                rows, acc, ldAcc, row0 in
                for i in 0..<rows {
                    let accRow = acc + i * ldAcc, out = c + (row0 + i) * ldc
                    for j in 0..<n {
                        let scaled = (Float(accRow[j] &+ bb[j]) * mb[j]).rounded(.toNearestOrEven)
                        let v = scaled + zero
                        out[j] = Int8(v < low ? low : (v > 127 ? 127 : v))
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
                rows, acc, ldAcc, row0 in
                for i in 0..<rows {
                    let accRow = acc + i * ldAcc, out = c + (row0 + i) * ldc
                    for j in 0..<n {
                        var v = Float(accRow[j]) * sb[j] + bb[j]
                        if relu && !(v > 0) { v = 0 }
                        out[j] = v
                    }
                }
            }
        }
    }
}

/// Rows of C per parallel task.
let int8RowBlock = 16

/// Computes exact accumulators for blocks of `int8RowBlock` rows (in parallel) and hands each
/// block to `epilogue(rows, accumulators, ldAcc, firstRow)`.
func runInt8GEMM(
    m: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, pool: ComputePool, path: Int8GEMMPath,
    epilogue: (Int, UnsafeMutablePointer<Int32>, Int, Int) -> Void
) {
    let n = weights.outputCount, k = weights.inputCount
    precondition(m >= 0 && (lda >= k || m == 0), "gemmInt8: lda \(lda) < k \(k)")
    precondition(aZeroPoint >= -128 && aZeroPoint <= 127, "gemmInt8: activation zero point \(aZeroPoint) outside -128…127")
    precondition(path.isAvailable, "gemmInt8: the \(path.rawValue) path is not available on this machine/build")
    if m == 0 || n == 0 { return }
    let blocks = (m + int8RowBlock - 1) / int8RowBlock
    pool.parallelFor(blocks) { block in
        let row0 = block * int8RowBlock
        let rows = min(int8RowBlock, m - row0)
        let ldAcc = (n + 15) / 16 * 16
        let acc = UnsafeMutablePointer<Int32>.allocate(capacity: rows * ldAcc)
        defer { acc.deallocate() }
        int8AccumulatePortable(rows: rows, a: a + row0 * lda, lda: lda, aZeroPoint: aZeroPoint,
                               weights: weights, acc: acc, ldAcc: ldAcc)
        epilogue(rows, acc, ldAcc, row0)
    }
}

/// The portable accumulator kernel over the packed layout: exact
/// `Σₚ (a[i,p] − z_a)(w[j,p] − z_w[j])` for `rows` rows and every output channel.
func int8AccumulatePortable(
    rows: Int, a: UnsafePointer<Int8>, lda: Int, aZeroPoint: Int32,
    weights: PackedInt8Weights, acc: UnsafeMutablePointer<Int32>, ldAcc: Int
) {
    let n = weights.outputCount, k = weights.inputCount
    let nr = PackedInt8Weights.panelWidth
    let kp = weights.paddedInputCount
    let groups = kp / 4
    let row = UnsafeMutablePointer<Int32>.allocate(capacity: max(kp, 1))
    defer { row.deallocate() }
    var lanes = [Int32](repeating: 0, count: nr)
    for i in 0..<rows {
        var rowSum: Int32 = 0
        for p in 0..<k { row[p] = Int32(a[i * lda + p]); rowSum += row[p] }
        for p in k..<kp { row[p] = 0 }
        for panel in 0..<((n + nr - 1) / nr) {
            let base = weights.panels.pointer + panel * kp * nr
            for l in 0..<nr { lanes[l] = 0 }
            for g in 0..<groups {
                let w = base + g * nr * 4
                let a0 = row[4 * g], a1 = row[4 * g + 1], a2 = row[4 * g + 2], a3 = row[4 * g + 3]
                for l in 0..<nr {
                    lanes[l] &+= a0 * Int32(w[4 * l]) &+ a1 * Int32(w[4 * l + 1])
                        &+ a2 * Int32(w[4 * l + 2]) &+ a3 * Int32(w[4 * l + 3])
                }
            }
            for l in 0..<min(nr, n - panel * nr) {
                let j = panel * nr + l
                let zw = weights.zeroPoint(j)
                acc[i * ldAcc + j] = lanes[l] &- aZeroPoint &* weights.columnSums[j]
                    &- zw &* rowSum &+ Int32(k) &* aZeroPoint &* zw
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
