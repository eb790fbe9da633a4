import XCTest
import SlimKernels

/// Every kernel path this CPU runs gives the same bits: fp32 GEMM against the scalar reference
/// of its exact order, across paths and thread counts; the sparse product against the GEMM.
final class KernelPathTests: XCTestCase {
    let pool = ComputePool(threads: 2)
    let paths = KernelPath.allCases.filter(\.isAvailable)

    func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// Fast GEMM on `path` and the ordered reference on one shape: equal bit for bit.
    func checkBits(_ path: KernelPath, _ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int,
                   alpha: Float = 1, beta: Float = 0, padding: Int = 0, seed: UInt64, pool: ComputePool? = nil,
                   file: StaticString = #filePath, line: UInt = #line) {
        var g = SeededGenerator(seed: seed)
        let lda = (ta == .none ? k : m) + padding, ldb = (tb == .none ? n : k) + padding, ldc = n + padding
        let aRows = ta == .none ? m : k, bRows = tb == .none ? k : n
        let a = randomFloats(max(1, aRows * lda), &g), b = randomFloats(max(1, bRows * ldb), &g)
        let c0 = randomFloats(max(1, m * ldc), &g)
        var fast = c0, ordered = c0
        fast.withUnsafeMutableBufferPointer { c in
            gemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                 c: c.baseAddress!, ldc: ldc, pool: pool ?? self.pool, path: path)
        }
        ordered.withUnsafeMutableBufferPointer { c in
            gemmOrderedReference(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                 beta: beta, c: c.baseAddress!, ldc: ldc)
        }
        if bits(fast) != bits(ordered) {
            let i = fast.indices.first { fast[$0].bitPattern != ordered[$0].bitPattern }!
            XCTFail("\(path) \(ta) \(tb) m=\(m) n=\(n) k=\(k) α=\(alpha) β=\(beta): element \(i) is \(fast[i]), "
                    + "the ordered reference \(ordered[i])", file: file, line: line)
        }
    }

    func testTheGenericAndAVX2PathsRunWhereExpected() {
        XCTAssertTrue(KernelPath.generic.isAvailable)
        XCTAssertTrue(KernelPath.best.isAvailable)
        #if arch(x86_64)
        // Every x86-64 CPU this project has met has AVX2; a build without the target would
        // silently fall back to the generic path.
        XCTAssertEqual(KernelPath.avx2.isAvailable, CPUFeatures.current.hasAVX2)
        #endif
        let line = kernelDescription(threads: 2)
        XCTAssertTrue(line.hasPrefix("kernels: fp32 \(KernelPath.best.gemmName) · int8 "), line)
        XCTAssertTrue(line.hasSuffix(" · 2 threads"), line)
        XCTAssertLessThanOrEqual(line.count, 80, line)
    }

    /// The kernels line fits 80 columns for every pair of paths a CPU can run together, at up
    /// to 99 threads.
    func testTheKernelsLineFitsEightyColumnsOnEveryPath() {
        let pairs: [(KernelPath, Int8GEMMPath)] = [(.generic, .portable), (.avx2, .avx2), (.avx2, .avxVNNI), (.avx512, .vnni)]
        for (fp32, int8) in pairs {
            let line = kernelDescription(fp32: fp32, int8: int8, threads: 99)
            XCTAssertLessThanOrEqual(line.count, 80, line)
            XCTAssertTrue(line.contains(int8.displayName), line)
        }
        XCTAssertEqual(kernelDescription(fp32: .avx2, int8: .avxVNNI, threads: 1),
                       "kernels: fp32 avx2-fma 6×16 · int8 avxvnni (vpdpbusd) · sparse avx2 · 1 thread")
    }

    /// `SLIMLAB_KERNELS` names, in the order a cap allows more.
    func testTheCapsAreOrderedAndNamed() {
        XCTAssertEqual(KernelCap.allCases.map(\.name), ["generic", "avx2", "avxvnni", "avx512"])
        XCTAssertTrue(KernelCap.allCases.elementsEqual(KernelCap.allCases.sorted()))
        XCTAssertEqual(KernelCap.named("avx-vnni"), .avxVNNI)
        XCTAssertEqual(KernelCap.named("AVX2"), .avx2)
        XCTAssertEqual(KernelCap.named("avx_512"), .avx512)
        XCTAssertNil(KernelCap.named("neon"))
    }

    func testEveryPathMatchesTheOrderedReferenceOnEdgeAndOddShapes() {
        let sizes = [0, 1, 2, 3, 5, 6, 7, 8, 11, 13, 16, 17, 31, 32, 33, 37, 48, 64, 97]
        var g = SeededGenerator(seed: 12)
        var seed: UInt64 = 0
        for path in paths {
            for ta in [Transpose.none, .transposed] {
                for tb in [Transpose.none, .transposed] {
                    for _ in 0..<30 {
                        let m = sizes[g.nextInt(below: sizes.count)], n = sizes[g.nextInt(below: sizes.count)]
                        let k = sizes[g.nextInt(below: sizes.count)]
                        seed += 1
                        checkBits(path, ta, tb, m: m, n: n, k: k, seed: seed)
                    }
                }
            }
        }
    }

    func testEveryPathMatchesTheOrderedReferenceAcrossReductionBlocks() {
        // k past 512 is summed in blocks; α, β and padded leading dimensions take the other merges.
        for path in paths {
            for (i, (m, n, k)) in [(13, 29, 513), (7, 70, 1031), (32, 128, 64), (41, 17, 784)].enumerated() {
                for (ta, tb) in [(Transpose.none, Transpose.transposed), (.transposed, .none), (.none, .none)] {
                    checkBits(path, ta, tb, m: m, n: n, k: k, seed: UInt64(200 + i))
                }
            }
            checkBits(path, .none, .none, m: 19, n: 23, k: 29, alpha: 0.5, beta: 2, padding: 3, seed: 1)
            checkBits(path, .transposed, .transposed, m: 40, n: 37, k: 541, alpha: -1.5, beta: 1, padding: 5, seed: 2)
            checkBits(path, .none, .transposed, m: 20, n: 40, k: 650, alpha: 0.75, beta: -0.5, padding: 2, seed: 5)
            checkBits(path, .none, .transposed, m: 5, n: 70, k: 0, alpha: 1, beta: 0.25, seed: 3)
        }
    }

    func testEveryPathAndThreadCountGiveTheSameBitsOnLargeShapes() {
        // The MLP shapes of slimbench and their backward products, plus odd sizes.
        for (i, (m, n, k)) in [(256, 256, 784), (1797, 128, 64), (64, 128, 256), (131, 97, 389)].enumerated() {
            for path in paths {
                for threadPool in poolsForDeterminism {
                    checkBits(path, .none, .transposed, m: m, n: n, k: k, seed: UInt64(300 + i), pool: threadPool)
                }
                checkBits(path, .transposed, .none, m: k, n: n, k: m, seed: UInt64(310 + i))
            }
        }
    }

    /// Fused steps whose exact value lies just off a midpoint between two Floats, where
    /// rounding the sum to Double first and then to Float would land on the midpoint and round
    /// the wrong way (the generic path's emulation on x86-64 must catch them), and steps whose
    /// results are subnormal Floats: every path gives the ordered reference's bits.
    func testEveryPathRoundsFusedStepsNearMidpointsAndSubnormalsOnce() {
        let one = Float(1).nextUp                      // 1 + 2⁻²³, an odd significand
        let nudge = Float(0x1p-24) - Float(0x1p-47)    // (1 + 2⁻²³)·nudge = 2⁻²⁴ − 2⁻⁷⁰
        // Step 1 makes 1 + 2⁻²³; step 2 adds 2⁻²⁴ − 2⁻⁷⁰: the exact sum is just below the
        // midpoint 1 + 3·2⁻²⁴, so the fused result is 1 + 2⁻²³ (not 1 + 2⁻²²).
        let expectedCorner = one.addingProduct(one, nudge)
        XCTAssertEqual(expectedCorner, one)
        let m = 5, n = 7, k = 2
        var g = SeededGenerator(seed: 31)
        var a = randomFloats(m * k, &g), b = randomFloats(k * n, &g)
        a[0] = one; a[1] = one; b[0] = 1; b[n] = nudge           // element (0, 0)
        let tiny = Float.leastNormalMagnitude / 4
        a[2 * k] = 3 * tiny; a[2 * k + 1] = -tiny; b[3] = 0.5; b[n + 3] = 0.75   // element (2, 3): subnormal
        for path in paths {
            var c = [Float](repeating: 0, count: m * n), expected = c
            c.withUnsafeMutableBufferPointer {
                gemm(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: $0.baseAddress!, ldc: n,
                     pool: pool, path: path)
            }
            expected.withUnsafeMutableBufferPointer {
                gemmOrderedReference(.none, .none, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                                     beta: 0, c: $0.baseAddress!, ldc: n)
            }
            XCTAssertEqual(c[0], expectedCorner, "\(path)")
            XCTAssertEqual(bits(c), bits(expected), "\(path)")
            XCTAssertTrue(c[2 * n + 3].isSubnormal, "\(path): \(c[2 * n + 3])")
        }
    }

    func testTheAVX512PathWhereTheCPUHasIt() throws {
        try XCTSkipUnless(KernelPath.avx512.isAvailable,
                          "this CPU has no AVX-512 with VNNI: the avx512 path is compiled but cannot run here")
        checkBits(.avx512, .none, .transposed, m: 37, n: 45, k: 600, seed: 9)
        checkBits(.avx512, .transposed, .none, m: 8, n: 32, k: 3, alpha: 2, beta: 0.5, seed: 10)
    }

    /// A pruned layer's two products — the sparse kernel, and the GEMM on the weights with
    /// their zeros — give the same bits, on every path.
    func testTheSparseProductGivesTheGEMMsBits() {
        var g = SeededGenerator(seed: 21)
        for (batch, inputs, outputs, density) in [(1, 5, 3, 0.5), (7, 64, 33, 0.3), (64, 600, 17, 0.2),
                                                  (100, 64, 128, 0.05), (257, 1100, 10, 0.1), (3, 9, 4, 0.0)] {
            let x = Tensor<Float>(shape: [batch, inputs], scalars: randomFloats(batch * inputs, &g))
            let w = Tensor<Float>(shape: [outputs, inputs], scalars: (0..<(outputs * inputs)).map { _ in
                g.uniform(0, 1) < Float(density) ? g.uniform(-1, 1) : 0
            })
            let bias = Tensor<Float>(shape: [outputs], scalars: randomFloats(outputs, &g))
            let csr = CSRMatrix(dense: w)
            for path in paths {
                let dense = x.withUnsafeBufferPointer { xb in
                    w.withUnsafeBufferPointer { wb in
                        Tensor<Float>(shape: [batch, outputs]) { y in
                            gemm(.none, .transposed, m: batch, n: outputs, k: inputs, a: xb.baseAddress!, lda: inputs,
                                 b: wb.baseAddress!, ldb: inputs, c: y.baseAddress!, ldc: outputs, pool: pool, path: path)
                        }
                    }
                }.addingBias(bias)
                let sparse = x.withUnsafeBufferPointer { xb in
                    bias.withUnsafeBufferPointer { bb in
                        Tensor<Float>(shape: [batch, outputs]) { y in
                            linearCSR(x: xb.baseAddress!, rows: batch, ldx: inputs, weights: csr, bias: bb.baseAddress!,
                                      y: y.baseAddress!, ldy: outputs, pool: pool, path: path)
                        }
                    }
                }
                XCTAssertEqual(bits(sparse.scalars), bits(dense.scalars),
                               "\(path) batch \(batch), \(inputs)→\(outputs), density \(density)")
                // And against the default path's sparse product.
                XCTAssertEqual(bits(csr.linear(x, bias: bias, pool: pool).scalars), bits(sparse.scalars), "\(path)")
            }
        }
    }
}
