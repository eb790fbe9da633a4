/// The generic int8 micro-kernels: the same exact int8 sums as the AVX2 kernel, from the
/// same int16 pairs, on the instruction set every CPU of the architecture has.
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
import _SlimKernelsShared

/// One task of the int8 GEMM on the generic path (see `runInt8Task`): activations widened to
/// int16, 6-row tiles, 16-column panels of int16 weight pairs.
@inline(never)
func portableInt8Task(_ task: Int8Task, _ output: Int8Output) {
    runInt8Task(task, output, operands: .pairs, mr: 6, panelWidth: 16, rowSums: int8RowSums,
                epilogue: portableInt8Epilogue) { steps, a, lda, rows, _, b, columns, initial, c, ldc in
        #if arch(x86_64)
        sse2Int8Tile6x8(pairs: steps, a: a, lda: lda, rows: rows, b: b, initial: initial, c: c, ldc: ldc)
        if columns > 8 {
            sse2Int8Tile6x8(pairs: steps, a: a, lda: lda, rows: rows, b: b + 32, initial: initial + 8, c: c + 8, ldc: ldc)
        }
        #else
        simdInt8Tile6x16(pairs: steps, a: a, lda: lda, rows: rows, b: b, initial: initial, c: c, ldc: ldc)
        #endif
    }
}

/// `int8Epilogue`, compiled here (see `Int8EpilogueFunction`).
@inline(never)
func portableInt8Epilogue(_ tile: UnsafeMutablePointer<Int32>, _ ld: Int, _ rows: Int, _ columns: Int, _ row0: Int, _ column0: Int,
        _ weightZeroPoints: UnsafePointer<Int32>?, _ rowSums: UnsafePointer<Int32>, _ out: Int8Output) {
    int8Epilogue(tile, ld: ld, rows: rows, columns: columns, row0: row0, column0: column0,
                 weightZeroPoints: weightZeroPoints, rowSums: rowSums, out)
}

#if arch(x86_64)
/// The x86-64 baseline's int8 micro-kernel: SSE2 `pmaddwd` (8 int16 products, added in
/// pairs into 4 int32 lanes, exactly) on a 6×8 tile — twelve accumulators, two weight vectors
/// and one broadcast fill 15 of the 16 xmm registers. `b` points at 8 channels of a packed
/// `[pairs][16][2]` panel (pairs 64 bytes apart); rows as in the AVX2 kernel.
@inline(never)
func sse2Int8Tile6x8(
    pairs: Int, a: UnsafeRawPointer, lda: Int, rows: Int, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let i0 = UnsafeRawPointer(initial).loadUnaligned(as: __m128i.self)
    let i1 = UnsafeRawPointer(initial + 4).loadUnaligned(as: __m128i.self)
    var c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1
    var c30 = i0, c31 = i1, c40 = i0, c41 = i1, c50 = i0, c51 = i1
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    var offset = 0
    var bp = b
    for _ in 0..<pairs {
        let b0 = bp.loadUnaligned(as: __m128i.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 16, as: __m128i.self)
        @inline(__always) func broadcast(_ row: UnsafeRawPointer) -> __m128i {
            _mm_set1_epi32(Int32(bitPattern: row.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var x = broadcast(r0)
        c00 = _mm_add_epi32(c00, _mm_madd_epi16(x, b0)); c01 = _mm_add_epi32(c01, _mm_madd_epi16(x, b1))
        x = broadcast(r1)
        c10 = _mm_add_epi32(c10, _mm_madd_epi16(x, b0)); c11 = _mm_add_epi32(c11, _mm_madd_epi16(x, b1))
        x = broadcast(r2)
        c20 = _mm_add_epi32(c20, _mm_madd_epi16(x, b0)); c21 = _mm_add_epi32(c21, _mm_madd_epi16(x, b1))
        x = broadcast(r3)
        c30 = _mm_add_epi32(c30, _mm_madd_epi16(x, b0)); c31 = _mm_add_epi32(c31, _mm_madd_epi16(x, b1))
        x = broadcast(r4)
        c40 = _mm_add_epi32(c40, _mm_madd_epi16(x, b0)); c41 = _mm_add_epi32(c41, _mm_madd_epi16(x, b1))
        x = broadcast(r5)
        c50 = _mm_add_epi32(c50, _mm_madd_epi16(x, b0)); c51 = _mm_add_epi32(c51, _mm_madd_epi16(x, b1))
        offset &+= 4
        bp += 64
    }
    @inline(__always) func store(_ r: Int, _ v0: __m128i, _ v1: __m128i) {
        let p = UnsafeMutableRawPointer(c + r * ldc)
        p.storeBytes(of: v0, as: __m128i.self)
        p.storeBytes(of: v1, toByteOffset: 16, as: __m128i.self)
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
    store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
}
#else
/// The int8 micro-kernel for other architectures: a 6×16 tile in Swift SIMD integer
/// arithmetic, per pair of inputs each channel's two products widened to int32 and added
/// (widening multiply-adds on arm64). Exact: no intermediate saturates.
@inline(never)
func simdInt8Tile6x16(
    pairs: Int, a: UnsafeRawPointer, lda: Int, rows: Int, b: UnsafeRawPointer,
    initial: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int
) {
    let start = UnsafeRawPointer(initial).loadUnaligned(as: SIMD16<Int32>.self)
    var c0 = start, c1 = start, c2 = start, c3 = start, c4 = start, c5 = start
    @inline(__always) func rowStart(_ r: Int) -> UnsafeRawPointer { a + (r < rows ? r : 0) &* lda }
    let r0 = rowStart(0), r1 = rowStart(1), r2 = rowStart(2), r3 = rowStart(3), r4 = rowStart(4), r5 = rowStart(5)
    var offset = 0
    var bp = b
    for _ in 0..<pairs {
        let w = bp.loadUnaligned(as: SIMD32<Int16>.self)
        let even = SIMD16<Int32>(truncatingIfNeeded: w.evenHalf), odd = SIMD16<Int32>(truncatingIfNeeded: w.oddHalf)
        @inline(__always) func add(_ acc: inout SIMD16<Int32>, _ row: UnsafeRawPointer) {
            let x0 = Int32(row.loadUnaligned(fromByteOffset: offset, as: Int16.self))
            let x1 = Int32(row.loadUnaligned(fromByteOffset: offset + 2, as: Int16.self))
            acc &+= even &* x0 &+ odd &* x1
        }
        add(&c0, r0); add(&c1, r1); add(&c2, r2); add(&c3, r3); add(&c4, r4); add(&c5, r5)
        offset &+= 4
        bp += 64
    }
    @inline(__always) func store(_ r: Int, _ v: SIMD16<Int32>) {
        UnsafeMutableRawPointer(c + r * ldc).storeBytes(of: v, as: SIMD16<Int32>.self)
    }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
}
#endif
