import XCTest
import SlimKernels

final class SparseTests: XCTestCase {
    let pool = ComputePool(threads: 2)

    func randomSparse(rows: Int, columns: Int, density: Double, _ g: inout SeededGenerator) -> [Float] {
        (0..<(rows * columns)).map { _ in g.nextUnitDouble() < density ? g.uniform(-1, 1) : 0 }
    }

    func testBuildingFromThresholdAndMaskAndByteCount() {
        let dense = Tensor<Float>(shape: [3, 4], scalars: [0, 1, 0, -2,  0, 0, 0, 0,  0.1, 0, 3, 0])
        let csr = CSRMatrix(dense: dense)
        XCTAssertEqual(csr.values, [1, -2, 0.1, 3])
        XCTAssertEqual(csr.columnIndices, [1, 3, 0, 2])
        XCTAssertEqual(csr.rowPointers, [0, 2, 2, 4])
        XCTAssertEqual(csr.nonzeroCount, 4)
        XCTAssertEqual(csr.density, 4.0 / 12)
        XCTAssertEqual(csr.byteCount, 4 * 4 + 4 * 4 + 4 * 4)
        XCTAssertEqual(csr.denseByteCount, 48)
        XCTAssertEqual(csr.dense(), dense)
        XCTAssertEqual(CSRMatrix(dense: dense, threshold: 0.5).nonzeroCount, 3)
        let mask = Tensor<Float>(shape: [3, 4], scalars: [1, 1, 0, 0,  0, 0, 0, 0,  0, 0, 0, 1])
        let masked = CSRMatrix(dense: dense, mask: mask)
        XCTAssertEqual(masked.values, [0, 1, 0])            // a kept zero stays stored
        XCTAssertEqual(masked.columnIndices, [0, 1, 3])
    }

    func testCheckedInitRejectsBadArraysWithMessages() throws {
        XCTAssertThrowsError(try CSRMatrix(rows: 2, columns: 2, values: [1], columnIndices: [5], rowPointers: [0, 1, 1])) {
            XCTAssertEqual("\($0)", "CSR row 0 has column index 5; allowed are 0..<2, ascending within the row")
        }
        XCTAssertThrowsError(try CSRMatrix(rows: 2, columns: 2, values: [1], columnIndices: [0], rowPointers: [0, 1]))
        let ok = try CSRMatrix(rows: 2, columns: 2, values: [1, 2], columnIndices: [1, 0], rowPointers: [0, 1, 2])
        XCTAssertEqual(ok.dense().scalars, [0, 1, 2, 0])
    }

    func testSpMMMatchesReferenceAcrossShapesAndDensities() {
        var g = SeededGenerator(seed: 1)
        for (m, k, n) in [(0, 3, 4), (1, 1, 1), (5, 7, 0), (13, 17, 19), (64, 100, 33), (100, 64, 64), (31, 257, 65)] {
            for density in [0.0, 0.05, 0.5, 1.0] {
                let a = CSRMatrix(dense: randomSparse(rows: m, columns: k, density: density, &g), rows: m, columns: k)
                let b = randomFloats(k * n, &g)
                var c1 = [Float](repeating: .nan, count: m * n), c2 = c1
                c1.withUnsafeMutableBufferPointer { spmm(a, b: b, ldb: n, n: n, c: $0.baseAddress!, ldc: n, pool: pool) }
                c2.withUnsafeMutableBufferPointer { spmmReference(a, b: b, ldb: n, n: n, c: $0.baseAddress!, ldc: n) }
                assertClose(c1, c2, tolerance: Float(k + 1) * 4e-7, "spmm \(m)×\(k)×\(n) density \(density)")
            }
        }
    }

    func testPrunedLinearMatchesReferenceAndDense() {
        var g = SeededGenerator(seed: 2)
        for (batch, inputs, outputs) in [(1, 1, 1), (7, 13, 5), (64, 100, 33), (33, 64, 128), (0, 4, 4)] {
            let w = Tensor<Float>(shape: [outputs, inputs], scalars: randomSparse(rows: outputs, columns: inputs, density: 0.2, &g))
            let x = Tensor<Float>(shape: [batch, inputs], scalars: randomFloats(batch * inputs, &g))
            let bias = Tensor<Float>(shape: [outputs], scalars: randomFloats(outputs, &g))
            let csr = CSRMatrix(dense: w)
            let y = csr.linear(x, bias: bias, pool: pool)
            var expected = [Float](repeating: 0, count: batch * outputs)
            x.withUnsafeBufferPointer { xb in bias.withUnsafeBufferPointer { bb in expected.withUnsafeMutableBufferPointer {
                linearCSRReference(x: xb.baseAddress!, rows: batch, ldx: inputs, weights: csr, bias: bb.baseAddress!,
                                   y: $0.baseAddress!, ldy: outputs) } } }
            assertClose(y.scalars, expected, tolerance: Float(inputs + 1) * 4e-7)
            let dense = x.matmul(w, transposeOther: true, pool: pool).addingBias(bias)
            assertClose(y.scalars, dense.scalars, tolerance: Float(inputs + 1) * 4e-7)
        }
    }

    func testSameBitsForAnyThreadCount() {
        var g = SeededGenerator(seed: 3)
        let a = CSRMatrix(dense: randomSparse(rows: 300, columns: 200, density: 0.1, &g), rows: 300, columns: 200)
        let b = randomFloats(200 * 64, &g)
        var results: [[Float]] = []
        for pool in poolsForDeterminism {
            var c = [Float](repeating: 0, count: 300 * 64)
            c.withUnsafeMutableBufferPointer { spmm(a, b: b, ldb: 64, n: 64, c: $0.baseAddress!, ldc: 64, pool: pool) }
            results.append(c)
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
    }
}
