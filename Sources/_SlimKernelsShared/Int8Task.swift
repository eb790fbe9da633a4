/// One task of the int8 GEMM — a block of rows of C by a run of weight panels — from the int8
/// activations to the finished outputs, written once here and inlined into every kernel target,
/// so that the activation preparation and the epilogue are compiled for the same instruction
/// set as the micro-kernel that runs between them (AVX-512, AVX2, or the baseline).
///
/// Every path computes the exact int32 sum `Σₚ a·w` plus a per-column offset for the zero
/// points (see `columnOffsets`), so every path gives the same integers, and the epilogues below
/// do the same Float operations in the same order on every path.

/// How a micro-kernel reads its operands. Either way a step reads 4 bytes per row of A.
public enum Int8Operands: Sendable {
    /// `vpdpbusd` multiplies unsigned by signed bytes. The weights are the unsigned operand,
    /// stored once as `w + 128` (0…255); the activations are read as they are, signed bytes in
    /// groups of 4. The raw sum `Σ a·(w + 128)` carries an extra `128·Σa`, which the kernel
    /// takes out of row `r` (`128·rowSums[r]`) before it stores the tile.
    ///
    /// Why the weights and not the activations: the shift is then paid once when packing
    /// instead of by one `vpxord` per broadcast row in the inner loop (5–8 % of the int8 GEMM's
    /// time on the larger shapes, measured on Zen 4), and the activations need no copy.
    /// (oneDNN, given signed activations, shifts them by 128 instead and keeps a compensation
    /// computed from the weights; with unsigned activations, the usual case in onnxruntime's
    /// MLAS, no shift is needed at all.)
    case groups
    /// Both operands widened to int16 and read in pairs (`vpmaddwd`, signed × signed): the raw
    /// sum is `Σ a·w` itself.
    case pairs
}

/// What one int8 task reads: its rows of A, its weight panels, and the column corrections.
public struct Int8Task {
    /// Row `row0` of A (int8 codes, rows `lda` apart).
    public var a: UnsafePointer<Int8>
    public var lda: Int
    /// The first row of this block, and how many.
    public var row0: Int, rows: Int
    /// The reduction length, and the micro-kernel steps covering it (k padded to whole groups
    /// of 4: `k₄/4` groups or `k₄/2` pairs).
    public var k: Int, steps: Int
    /// The first byte of the packed weights, and the bytes of one panel.
    public var weights: UnsafeRawPointer
    public var panelBytes: Int
    /// The panels this task computes, and the number of output columns in all.
    public var panel0: Int, panelCount: Int, n: Int
    /// Per output column (padded with zeros to whole panels): the constant that turns `Σ a·w`
    /// into `Σ (a − z_a)(w − z_w)` but for the `−z_w·Σa` term, i.e. `k·z_a·z_w − z_a·Σw`.
    public var columnOffsets: UnsafePointer<Int32>
    /// Per output column, the weight zero points; nil when all are 0 (the epilogue subtracts
    /// `z_w·Σa` otherwise).
    public var weightZeroPoints: UnsafePointer<Int32>?
    /// At least `Int8Task.scratchBytes(rows:steps:inPlace:)` bytes, 64-byte aligned.
    public var scratch: UnsafeMutableRawPointer

    public init(a: UnsafePointer<Int8>, lda: Int, row0: Int, rows: Int, k: Int, steps: Int,
                weights: UnsafeRawPointer, panelBytes: Int, panel0: Int, panelCount: Int, n: Int,
                columnOffsets: UnsafePointer<Int32>, weightZeroPoints: UnsafePointer<Int32>?,
                scratch: UnsafeMutableRawPointer) {
        self.a = a; self.lda = lda; self.row0 = row0; self.rows = rows; self.k = k; self.steps = steps
        self.weights = weights; self.panelBytes = panelBytes
        self.panel0 = panel0; self.panelCount = panelCount; self.n = n
        self.columnOffsets = columnOffsets; self.weightZeroPoints = weightZeroPoints; self.scratch = scratch
    }

    /// Scratch bytes for `rows` rows: the prepared activations (unless the kernel reads A in
    /// place, see `readsInPlace`), their sums, one tile of sums.
    @inlinable
    public static func scratchBytes(rows: Int, steps: Int, inPlace: Bool) -> Int {
        (inPlace ? 0 : roundedUp(rows * steps * 4)) + roundedUp(rows * 4) + Int8Task.tileRows * Int8Task.tileColumns * 4
    }

    /// Whether a kernel reading `operands` takes the rows of A as they are: the `vpdpbusd`
    /// kernels read whole groups of 4 signed bytes straight from A; only a k that ends inside a
    /// group needs rows copied with padding (reading past the last row could leave the buffer).
    @inlinable
    public static func readsInPlace(_ operands: Int8Operands, k: Int) -> Bool { operands == .groups && k % 4 == 0 }

    /// The largest micro-tile any kernel writes (12 rows by a 32-column panel).
    public static var tileRows: Int { 12 }
    public static var tileColumns: Int { 32 }

    @inlinable
    static func roundedUp(_ bytes: Int) -> Int { (bytes + 63) / 64 * 64 }
}

/// Where and how an int8 task writes its outputs. Per-column arrays are padded to whole panels.
public struct Int8Output {
    public enum Kind: Sendable {
        /// The exact int32 sums.
        case int32
        /// `clamp(round((acc + bias)·M) + z, low, high)` as int8 codes.
        case int8
        /// `Float(acc)·scale + bias`, then `max(·, 0)` under ReLU.
        case float
    }
    public var kind: Kind
    /// Row 0 of C (Int32, Int8 or Float per `kind`), rows `ldc` elements apart.
    public var c: UnsafeMutableRawPointer
    public var ldc: Int
    /// `.int8`: the bias in accumulator units and the multipliers M, per column; z, low, high.
    public var integerBias: UnsafePointer<Int32>?
    public var multipliers: UnsafePointer<Float>?
    public var zero: Float, low: Float, high: Float
    /// `.float`: the scale and the bias per column, and whether ReLU follows.
    public var scales: UnsafePointer<Float>?
    public var floatBias: UnsafePointer<Float>?
    public var relu: Bool

    public init(kind: Kind, c: UnsafeMutableRawPointer, ldc: Int,
                integerBias: UnsafePointer<Int32>? = nil, multipliers: UnsafePointer<Float>? = nil,
                zero: Float = 0, low: Float = -128, high: Float = 127,
                scales: UnsafePointer<Float>? = nil, floatBias: UnsafePointer<Float>? = nil, relu: Bool = false) {
        self.kind = kind; self.c = c; self.ldc = ldc
        self.integerBias = integerBias; self.multipliers = multipliers
        self.zero = zero; self.low = low; self.high = high
        self.scales = scales; self.floatBias = floatBias; self.relu = relu
    }
}

/// A micro-kernel: the `rows`-row tile (rows past `rows` re-read row 0; their sums are thrown
/// away) of exact sums over `steps` steps, for the valid `columns` of one weight panel (it may
/// compute more), each column started at `initial[j]`; stored to `c`, rows `ldc` apart.
/// `a` points at the tile's first row of activations (see `Int8Operands`), rows `lda` bytes
/// apart; `rowSums` at the tile's first row's `Σa` (the `.groups` kernels take `128·Σa` out
/// of each row; the `.pairs` kernels do not read it).
public typealias Int8MicroKernel = (
    _ steps: Int, _ a: UnsafeRawPointer, _ lda: Int, _ rows: Int, _ rowSums: UnsafePointer<Int32>,
    _ b: UnsafeRawPointer, _ columns: Int,
    _ initial: UnsafePointer<Int32>, _ c: UnsafeMutablePointer<Int32>, _ ldc: Int
) -> Void

/// `int8Epilogue`'s signature. Each kernel target passes `runInt8Task` an out-of-line epilogue
/// of its own: the AVX2 and AVX-512 targets one written with intrinsics, the same operations as
/// `int8Epilogue` (Swift's 16-lane Float SIMD arithmetic compiles to 128-bit pieces), the
/// generic path `int8Epilogue` itself. Inlined into the task, after the kernels and the
/// preparation, an epilogue would exceed the inliner's budget and be left as a call.
public typealias Int8EpilogueFunction = (
    _ tile: UnsafeMutablePointer<Int32>, _ ld: Int, _ rows: Int, _ columns: Int, _ row0: Int, _ column0: Int,
    _ weightZeroPoints: UnsafePointer<Int32>?, _ rowSums: UnsafePointer<Int32>, _ out: Int8Output
) -> Void

/// `int8RowSums`'s signature: each kernel target passes `runInt8Task` its own, vectorized for
/// its instruction set.
public typealias Int8RowSumsFunction = (
    _ a: UnsafePointer<Int8>, _ lda: Int, _ rows: Int, _ k: Int, _ sums: UnsafeMutablePointer<Int32>
) -> Void

/// Runs one task: prepares its rows of A for the micro-kernel (and their sums, where needed,
/// with `sumRows`), sweeps its panels (each panel stays in L1 while every row tile passes over
/// it), and finishes each tile with `epilogue` (see `Int8EpilogueFunction`). `mr` is the
/// kernel's tile height, `panelWidth` the packed panel's width.
@inlinable @inline(__always)
public func runInt8Task(_ t: Int8Task, _ out: Int8Output, operands: Int8Operands, mr: Int, panelWidth: Int,
                        rowSums sumRows: Int8RowSumsFunction, epilogue: Int8EpilogueFunction,
                        kernel: Int8MicroKernel) {
    let rowBytes = t.steps * 4
    let inPlace = Int8Task.readsInPlace(operands, k: t.k)
    let prepared = t.scratch, preparedBytes = inPlace ? 0 : Int8Task.roundedUp(t.rows * rowBytes)
    let rowSums = (t.scratch + preparedBytes).assumingMemoryBound(to: Int32.self)
    let tile = (t.scratch + preparedBytes + Int8Task.roundedUp(t.rows * 4)).assumingMemoryBound(to: Int32.self)
    if operands == .groups || t.weightZeroPoints != nil { sumRows(t.a, t.lda, t.rows, t.k, rowSums) }
    for i in 0..<t.rows {
        let source = t.a + i * t.lda
        switch operands {
        case .groups: if !inPlace { prepareGroups(source, k: t.k, bytes: rowBytes, into: prepared + i * rowBytes) }
        case .pairs: preparePairs(source, k: t.k, pairs: t.steps, into: prepared + i * rowBytes)
        }
    }
    let aRows = inPlace ? UnsafeRawPointer(t.a) : UnsafeRawPointer(prepared), lda = inPlace ? t.lda : rowBytes
    let direct = out.kind == .int32 && t.weightZeroPoints == nil
    for p in 0..<t.panelCount {
        let column0 = (t.panel0 + p) * panelWidth
        let columns = min(panelWidth, t.n - column0)
        let b = t.weights + (t.panel0 + p) * t.panelBytes
        var i0 = 0
        while i0 < t.rows {
            let rows = min(mr, t.rows - i0)
            let a = aRows + i0 * lda
            if direct && rows == mr && columns == panelWidth {
                let c = out.c.assumingMemoryBound(to: Int32.self) + (t.row0 + i0) * out.ldc + column0
                kernel(t.steps, a, lda, rows, rowSums + i0, b, columns, t.columnOffsets + column0, c, out.ldc)
            } else {
                kernel(t.steps, a, lda, rows, rowSums + i0, b, columns, t.columnOffsets + column0, tile, panelWidth)
                epilogue(tile, panelWidth, rows, columns, t.row0 + i0, column0, t.weightZeroPoints, rowSums + i0, out)
            }
            i0 += mr
        }
    }
}

/// One row of A as it is (signed bytes), padded with zeros to `bytes` (so the padding adds
/// nothing, whatever the padded weights hold).
@inlinable @inline(__always)
func prepareGroups(_ source: UnsafePointer<Int8>, k: Int, bytes: Int, into out: UnsafeMutableRawPointer) {
    out.copyMemory(from: source, byteCount: k)
    (out + k).initializeMemory(as: UInt8.self, repeating: 0, count: bytes - k)
}

/// One row of A widened to int16, padded with zeros to `2·pairs` values.
@inlinable @inline(__always)
func preparePairs(_ source: UnsafePointer<Int8>, k: Int, pairs: Int, into out: UnsafeMutableRawPointer) {
    let src = UnsafeRawPointer(source)
    var j = 0
    while j + 16 <= k {
        let codes = SIMD16<Int16>(truncatingIfNeeded: src.loadUnaligned(fromByteOffset: j, as: SIMD16<Int8>.self))
        out.storeBytes(of: codes, toByteOffset: 2 * j, as: SIMD16<Int16>.self)
        j += 16
    }
    let values = out.assumingMemoryBound(to: Int16.self)
    while j < k { values[j] = Int16(source[j]); j += 1 }
    while j < 2 * pairs { values[j] = 0; j += 1 }
}

/// `Σₚ a[i, p]` for `rows` rows of int8 codes (rows `lda` apart), wrapping in int32: the
/// definition of every `Int8RowSumsFunction`, and the generic path's.
@inlinable @inline(__always)
public func int8RowSums(_ a: UnsafePointer<Int8>, _ lda: Int, _ rows: Int, _ k: Int, _ sums: UnsafeMutablePointer<Int32>) {
    for i in 0..<rows {
        var sum: Int32 = 0
        for p in 0..<k { sum &+= Int32(a[i * lda + p]) }
        sums[i] = sum
    }
}

/// Turns a finished tile of sums (`ld` apart, per-column arrays padded to whole panels, so
/// every vector step reads valid lanes) into outputs: the zero-point term `−z_w·Σa` where the
/// weights have zero points, then the kind's arithmetic, 16 lanes at a time. Only the
/// `rows × columns` corner is written. The definition every path's epilogue follows operation
/// for operation, and the generic path's epilogue.
@inlinable @inline(__always)
public func int8Epilogue(_ tile: UnsafeMutablePointer<Int32>, ld: Int, rows: Int, columns: Int, row0: Int, column0: Int,
                  weightZeroPoints: UnsafePointer<Int32>?, rowSums: UnsafePointer<Int32>, _ out: Int8Output) {
    for i in 0..<rows {
        let acc = tile + i * ld
        if let zeros = weightZeroPoints {
            let sum = rowSums[i]
            var j = 0
            while j < columns {
                let v = load(acc, j) &- load(zeros, column0 + j) &* sum
                UnsafeMutableRawPointer(acc + j).storeBytes(of: v, as: SIMD16<Int32>.self)
                j += 16
            }
        }
        let row = row0 + i
        switch out.kind {
        case .int32:
            (out.c.assumingMemoryBound(to: Int32.self) + row * out.ldc + column0).update(from: acc, count: columns)
        case .int8:
            let destination = out.c.assumingMemoryBound(to: Int8.self) + row * out.ldc + column0
            let bias = out.integerBias!, multipliers = out.multipliers!
            let low = SIMD16<Float>(repeating: out.low), high = SIMD16<Float>(repeating: out.high)
            var j = 0
            while j < columns {
                let total = load(acc, j) &+ load(bias, column0 + j)
                let v = RoundingMath.clamped(
                    RoundingMath.roundedHalfEvenForClamping(RoundingMath.floats(total) * load(multipliers, column0 + j))
                        + out.zero, low, high)
                let codes = SIMD16<Int8>(truncatingIfNeeded: RoundingMath.smallIntegers(v))
                storeFirst(min(16, columns - j), of: codes, to: destination + j)
                j += 16
            }
        case .float:
            let destination = out.c.assumingMemoryBound(to: Float.self) + row * out.ldc + column0
            let scales = out.scales!, bias = out.floatBias!
            var j = 0
            while j < columns {
                var v = RoundingMath.floats(load(acc, j)) * load(scales, column0 + j) + load(bias, column0 + j)
                if out.relu { v = RoundingMath.select(v .> 0, v, SIMD16<Float>()) }
                storeFirst(min(16, columns - j), of: v, to: destination + j)
                j += 16
            }
        }
    }
}

/// 16 lanes from `p + j`.
@inlinable @inline(__always)
func load<T: SIMDScalar>(_ p: UnsafePointer<T>, _ j: Int) -> SIMD16<T> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<T>.self)
}

/// Stores the first `count` lanes of `v`.
@inlinable @inline(__always)
func storeFirst<T: SIMDScalar>(_ count: Int, of v: SIMD16<T>, to p: UnsafeMutablePointer<T>) {
    if count == 16 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<T>.self)
    } else {
        for u in 0..<count { p[u] = v[u] }
    }
}
