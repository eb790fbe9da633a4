import XCTest
import SlimKernels

final class GEMMTests: XCTestCase {
    let pool = ComputePool(threads: 2)

    /// Runs fast and reference GEMM on one shape and transpose pair and compares them with a
    /// tolerance that grows with k (each product adds one rounding of Float error).
    func check(_ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
               padding: Int = 0, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var g = SeededGenerator(seed: seed)
        let lda = (ta == .none ? k : m) + padding, ldb = (tb == .none ? n : k) + padding, ldc = n + padding
        let aRows = ta == .none ? m : k, bRows = tb == .none ? k : n
        let a = randomFloats(max(1, aRows * lda), &g), b = randomFloats(max(1, bRows * ldb), &g)
        let c0 = randomFloats(max(1, m * ldc), &g)
        var fast = c0, slow = c0
        fast.withUnsafeMutableBufferPointer { c in
            gemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                 c: c.baseAddress!, ldc: ldc, pool: pool)
        }
        slow.withUnsafeMutableBufferPointer { c in
            gemmReference(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                          c: c.baseAddress!, ldc: ldc)
        }
        let tolerance = Float(k + 2) * 2e-7 * 4
        assertClose(fast, slow, tolerance: tolerance, "\(ta) \(tb) m=\(m) n=\(n) k=\(k)", file: file, line: line)
    }

    func testEveryTransposeOnEdgeAndOddShapes() {
        let sizes = [0, 1, 2, 3, 7, 13, 17, 31, 33, 64]
        var g = SeededGenerator(seed: 11)
        var seed: UInt64 = 0
        for ta in [Transpose.none, .transposed] {
            for tb in [Transpose.none, .transposed] {
                for _ in 0..<25 {
                    let m = sizes[g.nextInt(below: sizes.count)], n = sizes[g.nextInt(below: sizes.count)]
                    let k = sizes[g.nextInt(below: sizes.count)]
                    seed += 1
                    check(ta, tb, m: m, n: n, k: k, seed: seed)
                }
            }
        }
    }

    func testLargerShapesBeyondTheTiles() {
        // k past one reduction block (512) exercises the accumulating passes.
        for (i, (m, n, k)) in [(127, 129, 257), (256, 10, 256), (97, 300, 61), (520, 33, 8), (45, 70, 700),
                               (9, 33, 1001), (17, 40, 1500)].enumerated() {
            for ta in [Transpose.none, .transposed] {
                for tb in [Transpose.none, .transposed] {
                    check(ta, tb, m: m, n: n, k: k, seed: UInt64(100 + i))
                }
            }
        }
    }

    func testAlphaBetaAndLeadingDimensions() {
        check(.none, .none, m: 19, n: 23, k: 29, alpha: 0.5, beta: 2, padding: 3, seed: 1)
        check(.transposed, .transposed, m: 40, n: 37, k: 41, alpha: -1.5, beta: 1, padding: 5, seed: 2)
        check(.none, .transposed, m: 5, n: 70, k: 0, alpha: 1, beta: 0.25, seed: 3)
        check(.transposed, .none, m: 33, n: 17, k: 9, alpha: 0, beta: -1, seed: 4)
        check(.none, .transposed, m: 20, n: 40, k: 650, alpha: 0.75, beta: -0.5, padding: 2, seed: 5)
    }

    func testBetaZeroIgnoresNaNInC() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [1, 0, 0, 1]
        var c = [Float](repeating: .nan, count: 4)
        c.withUnsafeMutableBufferPointer { c in
            gemm(.none, .none, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c.baseAddress!, ldc: 2, pool: pool)
        }
        XCTAssertEqual(c, [1, 2, 3, 4])
    }

    func testSameBitsForAnyThreadCount() {
        var g = SeededGenerator(seed: 5)
        for (m, n, k) in [(300, 200, 150), (1, 500, 64), (256, 10, 256), (129, 129, 129)] {
            for (ta, tb) in [(Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none)] {
                let a = randomFloats(m * k, &g), b = randomFloats(k * n, &g)
                var results: [[Float]] = []
                for pool in poolsForDeterminism {
                    var c = [Float](repeating: 0, count: m * n)
                    c.withUnsafeMutableBufferPointer { c in
                        gemm(ta, tb, m: m, n: n, k: k, a: a, lda: ta == .none ? k : m,
                             b: b, ldb: tb == .none ? n : k, c: c.baseAddress!, ldc: n, pool: pool)
                    }
                    results.append(c)
                }
                XCTAssertEqual(results[0], results[1], "threads 1 vs 2 at \(m)×\(n)×\(k)")
                XCTAssertEqual(results[0], results[2], "threads 1 vs 8 at \(m)×\(n)×\(k)")
            }
        }
    }

    func testTensorMatmulIsADenseLayer() {
        let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let w = Tensor<Float>(shape: [2, 3], scalars: [1, 0, -1, 0.5, 0.5, 0.5])
        let y = x.matmul(w, transposeOther: true, pool: pool)
        XCTAssertEqual(y.shape, [2, 2])
        XCTAssertEqual(y.scalars, [-2, 3, -2, 7.5])
        let dx = y.matmul(w, pool: pool)
        XCTAssertEqual(dx.shape, [2, 3])
        let dw = y.matmul(x, transposeSelf: true, pool: pool)
        XCTAssertEqual(dw.shape, [2, 3])
        XCTAssertEqual(dw.scalars, [-10, -14, -18, 33, 43.5, 54])
    }
}
