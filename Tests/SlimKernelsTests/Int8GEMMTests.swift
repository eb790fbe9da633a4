import XCTest
import SlimKernels

final class Int8GEMMTests: XCTestCase {
    let pool = ComputePool(threads: 2)
    let paths = Int8GEMMPath.allCases.filter(\.isAvailable)

    struct Case {
        var m: Int, n: Int, k: Int
        var a: [Int8], w: [Int8]
        var aZero: Int32, wZeros: [Int32], wScales: [Float]
        var packed: PackedInt8Weights
    }

    func makeCase(m: Int, n: Int, k: Int, perChannel: Bool, affine: Bool, _ g: inout SeededGenerator) -> Case {
        let a = randomInt8(m * k, &g), w = randomInt8(n * k, &g)
        let channels = perChannel ? n : 1
        let zeros = (0..<channels).map { _ in affine ? Int32(g.nextInt(below: 21)) - 10 : 0 }
        let scales = (0..<channels).map { _ in g.uniform(0.001, 0.05) }
        let aZero: Int32 = affine ? Int32(g.nextInt(below: 256)) - 128 : 0
        let packed = PackedInt8Weights(weights: w, outputCount: n, inputCount: k, scales: scales, zeroPoints: zeros)
        return Case(m: m, n: n, k: k, a: a, w: w, aZero: aZero, wZeros: zeros, wScales: scales, packed: packed)
    }

    func reference(_ t: Case) -> [Int32] {
        var c = [Int32](repeating: 0, count: t.m * t.n)
        c.withUnsafeMutableBufferPointer {
            gemmInt8Reference(m: t.m, n: t.n, k: t.k, a: t.a, lda: t.k, aZeroPoint: t.aZero,
                              w: t.w, ldw: t.k, weightZeroPoints: t.wZeros, c: $0.baseAddress!, ldc: t.n)
        }
        return c
    }

    /// Odd and edge shapes around every tile (6 and 12 rows; 8, 16 and 32 columns; groups of
    /// 4 and pairs in k).
    let shapes = [(0, 5, 7), (1, 1, 1), (1, 33, 5), (3, 7, 13), (17, 31, 4), (16, 32, 64), (37, 65, 130),
                  (5, 10, 64), (64, 128, 257), (2, 1, 1000), (12, 16, 3), (13, 17, 9), (6, 8, 2), (7, 9, 6),
                  (11, 40, 1), (25, 48, 31), (24, 64, 8), (19, 24, 5)]

    func testAccumulatorsAreExactOnEveryPath() {
        var g = SeededGenerator(seed: 1)
        for (m, n, k) in shapes {
            for (perChannel, affine) in [(false, false), (true, false), (true, true), (false, true)] {
                let t = makeCase(m: m, n: n, k: k, perChannel: perChannel, affine: affine, &g)
                let expected = reference(t)
                for path in paths {
                    var c = [Int32](repeating: 99, count: m * n)
                    c.withUnsafeMutableBufferPointer {
                        gemmInt8(m: m, a: t.a, lda: k, aZeroPoint: t.aZero, weights: t.packed,
                                 c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                    }
                    XCTAssertEqual(c, expected, "\(path) \(m)×\(n)×\(k) perChannel \(perChannel) affine \(affine)")
                }
            }
        }
    }

    func testExtremeCodesDoNotOverflowTheShiftTrick() {
        // −128 activations with −128 weights (0 once the `vpdpbusd` paths shift them by +128):
        // the shift must not lose anything.
        let m = 3, n = 40, k = 515
        let a = [Int8](repeating: -128, count: m * k), w = [Int8](repeating: -128, count: n * k)
        let packed = PackedInt8Weights(weights: w, outputCount: n, inputCount: k, scales: [1], zeroPoints: [0])
        for path in paths {
            var c = [Int32](repeating: 0, count: m * n)
            c.withUnsafeMutableBufferPointer {
                gemmInt8(m: m, a: a, lda: k, aZeroPoint: 0, weights: packed, c: $0.baseAddress!, ldc: n, pool: pool, path: path)
            }
            XCTAssertEqual(Set(c), [Int32(128 * 128 * k)], "\(path)")
        }
    }

    /// A long k whose shifted sum `Σ a·(w + 128)` leaves the int32 range while the true sum
    /// stays inside it: the `vpdpbusd` paths wrap and take `128·Σa` back out, exactly. The
    /// activation row sums (over more than 256 × 32 codes, past one int16 partial sum) feed
    /// both that correction and the weight zero point's `−z_w·Σa`.
    func testLongSumsThatWrapBeforeTheShiftIsUndoneAreExact() {
        let m = 3, n = 17, k = 66_001
        var a = [Int8](repeating: -128, count: m * k), w = [Int8](repeating: 127, count: n * k)
        for p in 0..<k { a[k + p] = 127; a[2 * k + p] = p % 2 == 0 ? -128 : 127 }
        for p in 0..<k { w[k + p] = -128 }
        for zeros in [[Int32(0)], [Int32(-5)], [Int32(10)]] {
            let packed = PackedInt8Weights(weights: w, outputCount: n, inputCount: k, scales: [1], zeroPoints: zeros)
            let t = Case(m: m, n: n, k: k, a: a, w: w, aZero: 0, wZeros: zeros, wScales: [1], packed: packed)
            let expected = reference(t)
            XCTAssertEqual(expected[0], Int32(k) * -128 * (127 - zeros[0]), "the reference itself, z_w \(zeros)")
            for path in paths {
                var c = [Int32](repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: a, lda: k, aZeroPoint: 0, weights: packed, c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                }
                XCTAssertEqual(c, expected, "\(path) z_w \(zeros)")
            }
        }
    }

    func testRequantizedAndDequantizedOutputsMatchTheReferenceEpilogues() {
        var g = SeededGenerator(seed: 2)
        for (m, n, k) in shapes {
            for perChannel in [false, true] {
                let t = makeCase(m: m, n: n, k: k, perChannel: perChannel, affine: perChannel, &g)
                let acc = reference(t)
                for relu in [false, true] {
                    let r = Int8Requantization(activationScale: 0.02,
                                               bias: (0..<n).map { _ in Int32(g.nextInt(below: 2001)) - 1000 },
                                               outputScale: 0.05 * Float(k).squareRoot(),
                                               outputZeroPoint: Int32(g.nextInt(below: 41)) - 20, relu: relu)
                    var expected = [Int8](repeating: 0, count: m * n)
                    expected.withUnsafeMutableBufferPointer {
                        requantizeReference(acc, rows: m, n: n, ldAcc: n, weightScales: t.wScales, r, into: $0.baseAddress!, ldy: n)
                    }
                    let d = Int8Dequantization(activationScale: 0.02, bias: randomFloats(n, &g), relu: relu)
                    var expectedFloat = [Float](repeating: 0, count: m * n)
                    expectedFloat.withUnsafeMutableBufferPointer {
                        dequantizeAccumulatorsReference(acc, rows: m, n: n, ldAcc: n, weightScales: t.wScales, d,
                                                        into: $0.baseAddress!, ldy: n)
                    }
                    for path in paths {
                        var y = [Int8](repeating: 0, count: m * n)
                        y.withUnsafeMutableBufferPointer {
                            gemmInt8(m: m, a: t.a, lda: k, aZeroPoint: t.aZero, weights: t.packed, requantization: r,
                                     c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                        }
                        XCTAssertEqual(y, expected, "\(path) \(m)×\(n)×\(k) relu \(relu)")
                        var f = [Float](repeating: 0, count: m * n)
                        f.withUnsafeMutableBufferPointer {
                            gemmInt8(m: m, a: t.a, lda: k, aZeroPoint: t.aZero, weights: t.packed, dequantization: d,
                                     c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                        }
                        XCTAssertEqual(f.map(\.bitPattern), expectedFloat.map(\.bitPattern), "\(path) \(m)×\(n)×\(k)")
                    }
                }
            }
        }
    }

    func testRequantizationRoundsHalfToEvenAndClamps() {
        // One input, weight 1: acc = a. Multiplier 0.5 turns 1, 3, 5 into ties.
        let a: [Int8] = [1, 3, 5, -3, 127, -128]
        let packed = PackedInt8Weights(weights: [1], outputCount: 1, inputCount: 1, scales: [1], zeroPoints: [0])
        var y = [Int8](repeating: 0, count: a.count)
        let r = Int8Requantization(activationScale: 0.5, outputScale: 1, outputZeroPoint: 0)
        y.withUnsafeMutableBufferPointer {
            gemmInt8(m: a.count, a: a, lda: 1, aZeroPoint: 0, weights: packed, requantization: r,
                     c: $0.baseAddress!, ldc: 1, pool: pool)
        }
        XCTAssertEqual(y, [0, 2, 2, -2, 64, -64])
        let big = Int8Requantization(activationScale: 4, outputScale: 1, outputZeroPoint: 10, relu: true)
        y.withUnsafeMutableBufferPointer {
            gemmInt8(m: a.count, a: a, lda: 1, aZeroPoint: 0, weights: packed, requantization: big,
                     c: $0.baseAddress!, ldc: 1, pool: pool)
        }
        XCTAssertEqual(y, [14, 22, 30, 10, 127, 10])
    }

    func testSameResultsForAnyThreadCount() {
        var g = SeededGenerator(seed: 3)
        let t = makeCase(m: 100, n: 70, k: 90, perChannel: true, affine: true, &g)
        let d = Int8Dequantization(activationScale: 0.1, bias: randomFloats(70, &g), relu: true)
        var results: [[Float]] = []
        for pool in poolsForDeterminism {
            var f = [Float](repeating: 0, count: 100 * 70)
            f.withUnsafeMutableBufferPointer {
                gemmInt8(m: 100, a: t.a, lda: 90, aZeroPoint: t.aZero, weights: t.packed, dequantization: d,
                         c: $0.baseAddress!, ldc: 70, pool: pool)
            }
            results.append(f)
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
    }

    func testPackingKeepsWeightsAndSums() {
        var g = SeededGenerator(seed: 4)
        let w = Tensor<Int8>(shape: [33, 7], scalars: randomInt8(33 * 7, &g))
        let packed = PackedInt8Weights(weights: w, scales: [0.1], zeroPoints: [0])
        XCTAssertEqual(packed.unpacked(), w)
        XCTAssertEqual(packed.columnSums[5], (0..<7).reduce(Int32(0)) { $0 + Int32(w[5, $1]) })
        XCTAssertFalse(packed.isPerChannel)
        XCTAssertTrue(packed.isSymmetric)
    }

    func testPortableAndVNNIPathsGiveTheSameBits() throws {
        try XCTSkipUnless(Int8GEMMPath.vnni.isAvailable, "this CPU or build has no VNNI path")
        var g = SeededGenerator(seed: 5)
        for (m, n, k) in [(1, 1, 1), (13, 45, 67), (100, 64, 300), (37, 3, 1024)] {
            let t = makeCase(m: m, n: n, k: k, perChannel: true, affine: true, &g)
            let r = Int8Requantization(activationScale: 0.03, bias: (0..<n).map { Int32($0) - 20 },
                                       outputScale: 0.7, outputZeroPoint: 4, relu: true)
            var outputs: [[Int8]] = []
            for path in [Int8GEMMPath.portable, .vnni] {
                var y = [Int8](repeating: 0, count: m * n)
                y.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: t.a, lda: k, aZeroPoint: t.aZero, weights: t.packed, requantization: r,
                             c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                }
                outputs.append(y)
            }
            XCTAssertEqual(outputs[0], outputs[1], "\(m)×\(n)×\(k)")
        }
    }

    /// The sums `vpmaddubsw` would clamp: codes 127 (unsigned 255 after a +128 shift) with codes
    /// ±127 or −128 make each pair of products 2·255·127 = 64 770 or −65 280, far outside
    /// int16; −128 codes (unsigned 0) with mixed partners, and mixed rows, must all come out
    /// exact on every path.
    func testPairSumsThatWouldSaturateAnInt16AreExact() {
        let m = 14, n = 35, k = 67
        var a = [Int8](repeating: 127, count: m * k), w = [Int8](repeating: 127, count: n * k)
        for p in 0..<k {
            a[1 * k + p] = p % 2 == 0 ? 127 : -128          // alternating extremes
            a[2 * k + p] = -128
            a[3 * k + p] = p % 3 == 0 ? -127 : 126
            w[1 * k + p] = -128
            w[2 * k + p] = p % 2 == 0 ? 127 : -128
            w[3 * k + p] = -127
        }
        for (aZero, zeros) in [(Int32(0), [Int32(0)]), (-128, [Int32(0)]), (127, [Int32(-128)]), (5, [Int32(127)])] {
            let packed = PackedInt8Weights(weights: w, outputCount: n, inputCount: k, scales: [1], zeroPoints: zeros)
            let t = Case(m: m, n: n, k: k, a: a, w: w, aZero: aZero, wZeros: zeros, wScales: [1], packed: packed)
            let expected = reference(t)
            // The reference itself: row 0 × channel 0 is Σ (127 − z_a)(127 − z_w).
            XCTAssertEqual(expected[0], Int32(k) * (127 - aZero) * (127 - zeros[0]))
            for path in paths {
                var c = [Int32](repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: a, lda: k, aZeroPoint: aZero, weights: packed,
                             c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                }
                XCTAssertEqual(c, expected, "\(path) z_a \(aZero) z_w \(zeros)")
            }
        }
    }

    func testEveryPathGivesTheSameRequantizedCodes() {
        var g = SeededGenerator(seed: 6)
        for (m, n, k) in [(1, 1, 1), (13, 45, 67), (100, 64, 300), (37, 3, 1024), (256, 256, 64)] {
            let t = makeCase(m: m, n: n, k: k, perChannel: true, affine: true, &g)
            let r = Int8Requantization(activationScale: 0.03, bias: (0..<n).map { Int32($0) - 20 },
                                       outputScale: 0.7, outputZeroPoint: 4, relu: true)
            var outputs: [[Int8]] = []
            for path in paths {
                var y = [Int8](repeating: 0, count: m * n)
                y.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: t.a, lda: k, aZeroPoint: t.aZero, weights: t.packed, requantization: r,
                             c: $0.baseAddress!, ldc: n, pool: pool, path: path)
                }
                outputs.append(y)
            }
            for (i, path) in paths.enumerated() { XCTAssertEqual(outputs[i], outputs[0], "\(path) \(m)×\(n)×\(k)") }
        }
    }

    /// Outputs with rows wider than n (ldc > n) and A rows wider than k (lda > k): every path
    /// writes exactly the `m × n` corner, in every output kind, whatever the tail width.
    func testNothingIsWrittenPastTheOutputColumns() {
        var g = SeededGenerator(seed: 8)
        for (m, n, k) in [(13, 1, 5), (7, 10, 33), (12, 17, 64), (6, 31, 7), (25, 33, 12)] {
            let lda = k + 3, ldc = n + 5
            let a = randomInt8(m * lda, &g), w = randomInt8(n * k, &g)
            let packed = PackedInt8Weights(weights: w, outputCount: n, inputCount: k,
                                           scales: (0..<n).map { _ in g.uniform(0.01, 0.02) },
                                           zeroPoints: (0..<n).map { _ in Int32(g.nextInt(below: 7)) - 3 })
            var expected = [Int32](repeating: 0, count: m * n)
            expected.withUnsafeMutableBufferPointer {
                gemmInt8Reference(m: m, n: n, k: k, a: a, lda: lda, aZeroPoint: 2, w: w, ldw: k,
                                  weightZeroPoints: packed.zeroPoints, c: $0.baseAddress!, ldc: n)
            }
            let r = Int8Requantization(activationScale: 0.05, outputScale: 1, outputZeroPoint: 0)
            let d = Int8Dequantization(activationScale: 0.05, relu: true)
            for path in paths {
                var c = [Int32](repeating: 77, count: m * ldc), y = [Int8](repeating: 77, count: m * ldc)
                var f = [Float](repeating: 77, count: m * ldc)
                c.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: a, lda: lda, aZeroPoint: 2, weights: packed, c: $0.baseAddress!, ldc: ldc,
                             pool: pool, path: path)
                }
                y.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: a, lda: lda, aZeroPoint: 2, weights: packed, requantization: r,
                             c: $0.baseAddress!, ldc: ldc, pool: pool, path: path)
                }
                f.withUnsafeMutableBufferPointer {
                    gemmInt8(m: m, a: a, lda: lda, aZeroPoint: 2, weights: packed, dequantization: d,
                             c: $0.baseAddress!, ldc: ldc, pool: pool, path: path)
                }
                for i in 0..<m {
                    XCTAssertEqual(Array(c[(i * ldc)..<(i * ldc + n)]), Array(expected[(i * n)..<(i * n + n)]),
                                   "\(path) \(m)×\(n)×\(k) row \(i)")
                    for j in n..<ldc {
                        XCTAssertEqual(c[i * ldc + j], 77, "\(path) \(m)×\(n)×\(k): int32 written past column \(n)")
                        XCTAssertEqual(y[i * ldc + j], 77, "\(path) \(m)×\(n)×\(k): int8 written past column \(n)")
                        XCTAssertEqual(f[i * ldc + j], 77, "\(path) \(m)×\(n)×\(k): Float written past column \(n)")
                    }
                }
            }
        }
    }

    /// A requantized output range narrower than int8 (4-bit codes −8…7), with the zero point at
    /// the bottom, inside, and at the top of it: codes stay on the grid on every path, ReLU
    /// clamps at z.
    func testNarrowOutputCodesStayInTheirRange() {
        var g = SeededGenerator(seed: 9)
        let t = makeCase(m: 29, n: 37, k: 70, perChannel: true, affine: true, &g)
        let acc = reference(t)
        for (zero, relu) in [(Int32(-8), true), (Int32(2), false), (Int32(7), true)] {
            let r = Int8Requantization(activationScale: 0.02, bias: (0..<37).map { Int32($0 * 13) - 200 },
                                       outputScale: 10, outputZeroPoint: zero, relu: relu, qmin: -8, qmax: 7)
            var expected = [Int8](repeating: 0, count: 29 * 37)
            expected.withUnsafeMutableBufferPointer {
                requantizeReference(acc, rows: 29, n: 37, ldAcc: 37, weightScales: t.wScales, r, into: $0.baseAddress!, ldy: 37)
            }
            XCTAssertTrue(expected.allSatisfy { $0 >= (relu ? max(zero, -8) : -8) && $0 <= 7 })
            if zero < 7 { XCTAssertGreaterThan(Set(expected).count, 2, "the case should spread over the range") }
            for path in paths {
                var y = [Int8](repeating: 0, count: 29 * 37)
                y.withUnsafeMutableBufferPointer {
                    gemmInt8(m: 29, a: t.a, lda: 70, aZeroPoint: t.aZero, weights: t.packed, requantization: r,
                             c: $0.baseAddress!, ldc: 37, pool: pool, path: path)
                }
                XCTAssertEqual(y, expected, "\(path) z \(zero) relu \(relu)")
            }
        }
    }

    func testTheAVXVNNIPathRunsWhereTheCPUHasIt() {
        #if arch(x86_64)
        XCTAssertEqual(Int8GEMMPath.avxVNNI.isAvailable, CPUFeatures.current.hasAVX2 && CPUFeatures.current.hasAVXVNNI)
        #else
        XCTAssertFalse(Int8GEMMPath.avxVNNI.isAvailable)
        #endif
    }

    func testTheAVX2PathRunsOnEveryAVX2CPU() {
        #if arch(x86_64)
        XCTAssertEqual(Int8GEMMPath.avx2.isAvailable, CPUFeatures.current.hasAVX2)
        #else
        XCTAssertFalse(Int8GEMMPath.avx2.isAvailable)
        #endif
    }

    func testThePortablePathIsAlwaysAvailable() {
        XCTAssertTrue(Int8GEMMPath.portable.isAvailable)
        XCTAssertTrue(Int8GEMMPath.best.isAvailable)
    }
}
