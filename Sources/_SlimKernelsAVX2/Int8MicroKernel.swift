#if arch(x86_64)
import _Builtin_intrinsics.intel
import _SlimKernelsShared

/// One task of the int8 GEMM on AVX2 (see `runInt8Task`): activations widened to int16,
/// 6-row tiles, 16-column panels of int16 weight pairs.
///
/// Only call where the CPU has AVX2 (see `KernelPath` in SlimKernels).
@inline(never)
public func avx2Int8Task(_ task: Int8Task, _ output: Int8Output) {
    runInt8Task(task, output, operands: .pairs, mr: 6, panelWidth: 16, rowSums: avx2Int8RowSums,
                epilogue: avx2Int8Epilogue) { steps, a, lda, rows, _, b, _, initial, c, ldc in
        avx2Int8Tile6x16(pairs: steps, a: a, lda: lda, rows: rows, b: b, initial: initial, c: c, ldc: ldc)
    }
}

/// The AVX2 epilogue of an int8 tile (`int8Epilogue`'s arithmetic), for the AVX2 and AVX-VNNI
/// paths: `vcvtdq2ps` and `vcvtps2dq` round half to even (the default MXCSR), `vmulps` and
/// `vaddps` stay unfused as in the reference, and `vmaxps(v, 0)` gives +0 for −0 and NaN as
/// `!(v > 0)` does. The kind of output is chosen once per tile, not per vector; int8 codes go
/// 16 at a time, packed with `vpackssdw` and `vpacksswb` (exact: the codes are already clamped
/// to −128…127). Per-column arrays are padded to whole panels and the tile is a whole panel
/// wide, so every vector read is valid; only the stores stop at `columns`.
@inline(never)
public func avx2Int8Epilogue(_ tile: UnsafeMutablePointer<Int32>, _ ld: Int, _ rows: Int, _ columns: Int, _ row0: Int,
                             _ column0: Int, _ weightZeroPoints: UnsafePointer<Int32>?, _ rowSums: UnsafePointer<Int32>,
                             _ out: Int8Output) {
    @inline(__always) func load(_ p: UnsafeRawPointer) -> __m256i { p.loadUnaligned(as: __m256i.self) }
    @inline(__always) func loadFloats(_ p: UnsafePointer<Float>) -> __m256 { UnsafeRawPointer(p).loadUnaligned(as: __m256.self) }
    if let zeros = weightZeroPoints {
        for i in 0..<rows {
            let acc = tile + i * ld, sum = _mm256_set1_epi32(rowSums[i])
            for j in stride(from: 0, to: columns, by: 8) {
                UnsafeMutableRawPointer(acc + j).storeBytes(
                    of: _mm256_sub_epi32(load(acc + j), _mm256_mullo_epi32(load(zeros + column0 + j), sum)), as: __m256i.self)
            }
        }
    }
    withUnsafeTemporaryAllocation(of: __m256i.self, capacity: 1) { spill in
        let buffer = UnsafeMutableRawPointer(spill.baseAddress!)
        switch out.kind {
        case .int32:
            for i in 0..<rows {
                let acc = tile + i * ld, destination = out.c + 4 * ((row0 + i) * out.ldc + column0)
                destination.copyMemory(from: acc, byteCount: 4 * columns)
            }
        case .int8:
            let limit = _mm256_set1_ps(4_194_304), negativeLimit = _mm256_set1_ps(-4_194_304)
            let zero = _mm256_set1_epi32(Int32(out.zero))
            let low = _mm256_set1_epi32(Int32(out.low)), high = _mm256_set1_epi32(Int32(out.high))
            // After the two packs, dwords 0, 4, 1, 5 hold codes 0–3, 4–7, 8–11, 12–15.
            let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)
            let bias = out.integerBias! + column0, multipliers = out.multipliers! + column0
            @inline(__always) func codes(_ t: __m256i, _ j: Int) -> __m256i {
                var f = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(t, load(bias + j))), loadFloats(multipliers + j))
                f = _mm256_min_ps(_mm256_max_ps(f, negativeLimit), limit)
                return _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(f), zero), low), high)
            }
            for i in 0..<rows {
                let acc = tile + i * ld, destination = out.c + ((row0 + i) * out.ldc + column0)
                var j = 0
                while j < columns {
                    let q0 = codes(load(acc + j), j)
                    let q1 = j + 8 < columns ? codes(load(acc + j + 8), j + 8) : q0
                    let words = _mm256_packs_epi32(q0, q1)
                    let bytes = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(words, words), order)
                    if columns - j >= 16 {
                        (destination + j).storeBytes(of: _mm256_castsi256_si128(bytes), as: __m128i.self)
                    } else {
                        buffer.storeBytes(of: bytes, as: __m256i.self)
                        (destination + j).copyMemory(from: buffer, byteCount: columns - j)
                    }
                    j += 16
                }
            }
        case .float:
            let scales = out.scales! + column0, bias = out.floatBias! + column0
            for i in 0..<rows {
                let acc = tile + i * ld, destination = out.c + 4 * ((row0 + i) * out.ldc + column0)
                var j = 0
                while j < columns {
                    var f = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(load(acc + j)), loadFloats(scales + j)),
                                          loadFloats(bias + j))
                    if out.relu { f = _mm256_max_ps(f, _mm256_setzero_ps()) }
                    if columns - j >= 8 {
                        (destination + 4 * j).storeBytes(of: f, as: __m256.self)
                    } else {
                        buffer.storeBytes(of: f, as: __m256.self)
                        (destination + 4 * j).copyMemory(from: buffer, byteCount: 4 * (columns - j))
                    }
                    j += 8
                }
            }
        }
    }
}

/// The AVX2 int8 micro-kernel: a 6×16 tile of exact int8 dot products in twelve int32
/// registers, through `vpmaddwd` on operands widened to int16.
///
/// Why not `vpmaddubsw`: it multiplies unsigned by signed bytes but adds each pair of products
/// into an int16 *with saturation*; with activations up to 255 and weights down to −128 a pair
/// reaches 2·255·128 = 65 280, far past 32 767, and the sum is silently clamped. MLAS and
/// oneDNN accept that or ask for 7-bit weights ("reduce range"), which changes the model;
/// splitting the activations into two 4-bit halves stays exact but needs two `vpmaddubsw` per
/// product pair and then loses to fp32. This kernel instead takes both operands pre-widened to
/// int16 (the weights once, when they are packed; the activations per call, which is cheap):
/// `vpmaddwd` multiplies 16 int16 pairs and adds each pair into an int32 exactly
/// (|2·128·128| < 2³¹), 16 multiply-adds per instruction — as many per multiply instruction as
/// the `vpmaddubsw` + `vpmaddwd` pair gets, without the clamp. (XNNPACK's AVX2 int8 kernels
/// take the same route.) CPUs with AVX-VNNI run `vpdpbusd` on ymm instead
/// (`_SlimKernelsAVXVNNI`).
///
/// Row `r` of the activations (widened to int16, in pairs) starts at `a + r·lda`
/// (rows past `rows` re-read row 0); `b` holds 16 output channels of signed weights as int16
/// pairs, `[pairs][16][2]`. Each step broadcasts one row's pair and multiplies it with 8
/// channels' pairs per register. The sums start at `initial[0..<16]` and are stored to `c`
/// (rows `ldc` apart).
@inline(never)
func avx2Int8Tile6x16(
    pairs: Int, a: UnsafeRawPointer, lda: Int, rows: Int, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let i0 = UnsafeRawPointer(initial).loadUnaligned(as: __m256i.self)
    let i1 = UnsafeRawPointer(initial + 8).loadUnaligned(as: __m256i.self)
    var c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1
    var c30 = i0, c31 = i1, c40 = i0, c41 = i1, c50 = i0, c51 = i1
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    var offset = 0
    var bp = b
    for _ in 0..<pairs {
        let b0 = bp.loadUnaligned(as: __m256i.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: __m256i.self)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m256i {
            _mm256_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var x = broadcast(r0)
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, b0)); c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, b1))
        x = broadcast(r1)
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, b0)); c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, b1))
        x = broadcast(r2)
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, b0)); c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, b1))
        x = broadcast(r3)
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, b0)); c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, b1))
        x = broadcast(r4)
        c40 = _mm256_add_epi32(c40, _mm256_madd_epi16(x, b0)); c41 = _mm256_add_epi32(c41, _mm256_madd_epi16(x, b1))
        x = broadcast(r5)
        c50 = _mm256_add_epi32(c50, _mm256_madd_epi16(x, b0)); c51 = _mm256_add_epi32(c51, _mm256_madd_epi16(x, b1))
        offset &+= 4
        bp += 64
    }
    @inline(__always) func store(_ r: Int, _ v0: __m256i, _ v1: __m256i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        p.storeBytes(of: v0, as: __m256i.self)
        p.storeBytes(of: v1, toByteOffset: 32, as: __m256i.self)
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
    store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
}
#endif
