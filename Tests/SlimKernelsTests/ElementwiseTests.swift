import XCTest
import SlimKernels

final class ElementwiseTests: XCTestCase {
    let shapes = [(0, 5), (1, 1), (3, 10), (7, 17), (32, 64), (5, 33), (2, 1000)]

    func testBiasAddAndColumnSumsMatchReference() {
        var g = SeededGenerator(seed: 1)
        for (rows, columns) in shapes {
            let x = randomFloats(rows * columns, &g), bias = randomFloats(columns, &g)
            var fast = x, slow = x
            fast.withUnsafeMutableBufferPointer { addBias(bias, to: $0.baseAddress!, rows: rows, columns: columns) }
            slow.withUnsafeMutableBufferPointer { addBiasReference(bias, to: $0.baseAddress!, rows: rows, columns: columns) }
            XCTAssertEqual(fast, slow)
            var s1 = [Float](repeating: 9, count: columns), s2 = s1
            s1.withUnsafeMutableBufferPointer { columnSums(x, rows: rows, columns: columns, into: $0.baseAddress!) }
            s2.withUnsafeMutableBufferPointer { columnSumsReference(x, rows: rows, columns: columns, into: $0.baseAddress!) }
            assertClose(s1, s2, tolerance: Float(rows + 1) * 1e-7)
        }
        let t = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(t.addingBias(Tensor(shape: [2], scalars: [10, 20])).scalars, [11, 22, 13, 24])
        XCTAssertEqual(t.columnSums().scalars, [4, 6])
    }

    func testReLUAndItsGradient() {
        var g = SeededGenerator(seed: 2)
        for count in [0, 1, 15, 16, 17, 100, 1023] {
            var x = randomFloats(count, &g)
            if count > 3 { x[0] = 0; x[1] = -0.0; x[2] = .nan }
            let dy = randomFloats(count, &g)
            var y1 = [Float](repeating: 7, count: count), y2 = y1, d1 = y1, d2 = y1
            y1.withUnsafeMutableBufferPointer { relu(x, $0.baseAddress!, count: count) }
            y2.withUnsafeMutableBufferPointer { reluReference(x, $0.baseAddress!, count: count) }
            XCTAssertEqual(y1.map(\.bitPattern), y2.map(\.bitPattern))
            d1.withUnsafeMutableBufferPointer { reluBackward(input: x, outputGradient: dy, inputGradient: $0.baseAddress!, count: count) }
            d2.withUnsafeMutableBufferPointer { reluBackwardReference(input: x, outputGradient: dy, inputGradient: $0.baseAddress!, count: count) }
            XCTAssertEqual(d1, d2)
        }
        let t = Tensor<Float>(shape: [4], scalars: [-1, 0, 2, -3])
        XCTAssertEqual(t.relu().scalars, [0, 0, 2, 0])
        XCTAssertEqual(t.reluBackward(outputGradient: Tensor(shape: [4], scalars: [5, 6, 7, 8])).scalars, [0, 0, 7, 0])
    }

    func testSoftmaxAndLogSoftmaxMatchReferenceAtSeveralTemperatures() {
        var g = SeededGenerator(seed: 3)
        for (rows, columns) in shapes {
            let x = randomFloats(rows * columns, &g, scale: 8)
            for t: Float in [0.5, 1, 4] {
                var a = [Float](repeating: 0, count: rows * columns), b = a, c = a, d = a
                a.withUnsafeMutableBufferPointer { softmax(x, $0.baseAddress!, rows: rows, columns: columns, temperature: t) }
                b.withUnsafeMutableBufferPointer { softmaxReference(x, $0.baseAddress!, rows: rows, columns: columns, temperature: t) }
                c.withUnsafeMutableBufferPointer { logSoftmax(x, $0.baseAddress!, rows: rows, columns: columns, temperature: t) }
                d.withUnsafeMutableBufferPointer { logSoftmaxReference(x, $0.baseAddress!, rows: rows, columns: columns, temperature: t) }
                assertClose(a, b, tolerance: 1e-5, "softmax \(rows)×\(columns) T=\(t)")
                assertClose(c, d, tolerance: 1e-5, "logSoftmax \(rows)×\(columns) T=\(t)")
                for i in 0..<rows {
                    XCTAssertEqual(a[(i * columns)..<((i + 1) * columns)].reduce(0, +), 1, accuracy: 1e-5)
                }
            }
        }
    }

    func testSoftmaxStaysFiniteOnHugeLogits() {
        let x = Tensor<Float>(shape: [3, 4], scalars: [1e4, -1e4, 0, 1e4,  -1e4, -1e4, -1e4, -1e4,  1e4, 1e4 - 1, -1e4, 3])
        let p = x.softmax(), lp = x.logSoftmax(), pt = x.softmax(temperature: 0.01)
        for v in p.scalars + lp.scalars + pt.scalars { XCTAssertTrue(v.isFinite, "\(v)") }
        XCTAssertEqual(p[0, 0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(p[0, 1], 0)
        XCTAssertEqual(p[1, 2], 0.25, accuracy: 1e-6)
        XCTAssertEqual(lp[0, 1], -2e4 - logf(2), accuracy: 1)
        XCTAssertEqual(p[2, 0], 1 / (1 + expf(-1)), accuracy: 1e-6)
        let (loss, grad) = x.crossEntropy(labels: [1, 0, 2])
        XCTAssertTrue(loss.isFinite)
        XCTAssertEqual(loss, (2e4 + logf(2) + logf(4) + 2e4 + log1pf(expf(-1))) / 3, accuracy: 1e-2)
        for v in grad.scalars { XCTAssertTrue(v.isFinite) }
    }

    func testCrossEntropyMatchesReferenceAndFiniteDifferences() {
        var g = SeededGenerator(seed: 4)
        for (rows, columns) in [(1, 1), (3, 10), (64, 10), (5, 33)] {
            let z = randomFloats(rows * columns, &g, scale: 3)
            let labels = (0..<rows).map { _ in g.nextInt(below: columns) }
            var g1 = [Float](repeating: 0, count: rows * columns), g2 = g1
            let l1 = g1.withUnsafeMutableBufferPointer {
                crossEntropy(logits: z, labels: labels, rows: rows, columns: columns, logitsGradient: $0.baseAddress!)
            }
            let l2 = g2.withUnsafeMutableBufferPointer {
                crossEntropyReference(logits: z, labels: labels, rows: rows, columns: columns, logitsGradient: $0.baseAddress!)
            }
            XCTAssertEqual(l1, l2, accuracy: 1e-5 * (1 + abs(l2)))
            assertClose(g1, g2, tolerance: 1e-6)
            // One central difference in Double through the reference.
            let index = rows * columns / 2
            var zp = z, zm = z
            zp[index] += 1e-2; zm[index] -= 1e-2
            let lp = crossEntropyReference(logits: zp, labels: labels, rows: rows, columns: columns, logitsGradient: nil)
            let lm = crossEntropyReference(logits: zm, labels: labels, rows: rows, columns: columns, logitsGradient: nil)
            XCTAssertEqual((lp - lm) / 2e-2, g1[index], accuracy: 2e-3)
        }
    }

    func testSoftCrossEntropyMatchesReference() {
        var g = SeededGenerator(seed: 5)
        for (rows, columns) in [(1, 2), (4, 10), (33, 7)] {
            let z = randomFloats(rows * columns, &g, scale: 4)
            let targets = Tensor<Float>(shape: [rows, columns], scalars: randomFloats(rows * columns, &g, scale: 2)).softmax()
            for t: Float in [1, 4] {
                var g1 = [Float](repeating: 0, count: rows * columns), g2 = g1
                let l1 = targets.withUnsafeBufferPointer { p in
                    g1.withUnsafeMutableBufferPointer {
                        softCrossEntropy(logits: z, targets: p.baseAddress!, rows: rows, columns: columns,
                                         temperature: t, logitsGradient: $0.baseAddress!)
                    }
                }
                let l2 = targets.withUnsafeBufferPointer { p in
                    g2.withUnsafeMutableBufferPointer {
                        softCrossEntropyReference(logits: z, targets: p.baseAddress!, rows: rows, columns: columns,
                                                  temperature: t, logitsGradient: $0.baseAddress!)
                    }
                }
                XCTAssertEqual(l1, l2, accuracy: 1e-5 * (1 + abs(l2)))
                assertClose(g1, g2, tolerance: 1e-6)
            }
        }
        // Targets equal to the model's own softened outputs give a zero gradient.
        let z = Tensor<Float>(shape: [1, 3], scalars: [1, 2, 3])
        let (_, grad) = z.softCrossEntropy(targets: z.softmax(temperature: 2), temperature: 2)
        for v in grad.scalars { XCTAssertEqual(v, 0, accuracy: 1e-7) }
    }

    func testArgmaxTiesAndNaN() {
        var g = SeededGenerator(seed: 6)
        for (rows, columns) in shapes where columns > 0 {
            var x = randomFloats(rows * columns, &g)
            if x.count > 4 { x[1] = x[0]; x[3] = .nan }
            var a = [Int](repeating: -1, count: rows), b = a
            a.withUnsafeMutableBufferPointer { argmaxRows(x, rows: rows, columns: columns, into: $0.baseAddress!) }
            b.withUnsafeMutableBufferPointer { argmaxRowsReference(x, rows: rows, columns: columns, into: $0.baseAddress!) }
            XCTAssertEqual(a, b)
        }
        let t = Tensor<Float>(shape: [3, 3], scalars: [1, 3, 3,  .nan, 2, 1,  -5, -5, -6])
        XCTAssertEqual(t.argmaxRows(), [1, 1, 0])
    }
}
