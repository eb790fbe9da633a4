import XCTest
import SlimKernels

final class QuantizationTests: XCTestCase {
    func testRoundHalfToEvenAndClamp() {
        let x: [Float] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49, 1000, -1000, .nan, .infinity]
        var q = [Int8](repeating: 0, count: x.count)
        q.withUnsafeMutableBufferPointer {
            quantize(x, count: x.count, scale: 1, zeroPoint: 0, qmin: -128, qmax: 127, into: $0.baseAddress!)
        }
        XCTAssertEqual(q, [0, 2, 2, 0, -2, -2, 0, 127, -128, -128, 127])
        // Affine, unsigned, with a zero point: x = 0 maps to z exactly.
        var u = [UInt8](repeating: 0, count: 4)
        u.withUnsafeMutableBufferPointer {
            quantize([0, 0.1, -0.1, 10], count: 4, scale: 0.1, zeroPoint: 128, qmin: 0, qmax: 255, into: $0.baseAddress!)
        }
        XCTAssertEqual(u, [128, 129, 127, 228])
    }

    /// Every kernel path's int8 quantizer against the reference: ties, NaN, infinities, values
    /// far past the range and past 2³¹·s (where a float-to-int conversion overflows), zero
    /// points at both ends, 4-bit ranges, and every tail length up to two vectors.
    func testEveryPathQuantizesToInt8LikeTheReference() {
        var g = SeededGenerator(seed: 7)
        let special: [Float] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 127.5, -128.5, 126.5, .nan, -.nan, .infinity,
                                -.infinity, 3e38, -3e38, 1e10, -1e10, 0, -0.0, .leastNonzeroMagnitude]
        for path in KernelPath.allCases.filter(\.isAvailable) {
            for count in Array(0...33) + [1000] {
                let x = (0..<count).map { i in i < special.count && count > 20 ? special[i] : g.uniform(-300, 300) }
                for (scale, zero, qmin, qmax) in [(Float(1), Int32(0), Int32(-128), Int32(127)), (0.75, -128, -128, 127),
                                                  (2, 127, -128, 127), (0.3, 3, -8, 7), (1e-30, 0, -127, 127)] {
                    var expected = [Int32](repeating: 0, count: count), codes = [Int8](repeating: 99, count: count)
                    expected.withUnsafeMutableBufferPointer {
                        quantizeReference(x, count: count, scale: scale, zeroPoint: zero, qmin: qmin, qmax: qmax, into: $0.baseAddress!)
                    }
                    codes.withUnsafeMutableBufferPointer {
                        quantizeInt8(x, count: count, scale: scale, zeroPoint: zero, qmin: qmin, qmax: qmax,
                                     into: $0.baseAddress!, path: path)
                    }
                    XCTAssertEqual(codes.map(Int32.init), expected, "\(path) count \(count) scale \(scale) z \(zero)")
                }
            }
        }
    }

    func testQuantizeMatchesReferenceForEveryCodeType() {
        var g = SeededGenerator(seed: 1)
        for count in [0, 1, 17, 1000] {
            let x = randomFloats(count, &g, scale: 3)
            for (scale, zero, qmin, qmax) in [(Float(0.02), Int32(0), Int32(-127), Int32(127)),
                                              (0.013, -5, -128, 127), (0.5, 0, -8, 7), (0.03, 3, -8, 7)] {
                var expected = [Int32](repeating: 0, count: count)
                expected.withUnsafeMutableBufferPointer {
                    quantizeReference(x, count: count, scale: scale, zeroPoint: zero, qmin: qmin, qmax: qmax, into: $0.baseAddress!)
                }
                var i8 = [Int8](repeating: 0, count: count), i32 = [Int32](repeating: 0, count: count)
                i8.withUnsafeMutableBufferPointer {
                    quantize(x, count: count, scale: scale, zeroPoint: zero, qmin: qmin, qmax: qmax, into: $0.baseAddress!)
                }
                i32.withUnsafeMutableBufferPointer {
                    quantize(x, count: count, scale: scale, zeroPoint: zero, qmin: qmin, qmax: qmax, into: $0.baseAddress!)
                }
                XCTAssertEqual(i8.map(Int32.init), expected)
                XCTAssertEqual(i32, expected)
                var back = [Float](repeating: 0, count: count), backRef = back, fake = back
                back.withUnsafeMutableBufferPointer { dequantize(i8, count: count, scale: scale, zeroPoint: zero, into: $0.baseAddress!) }
                backRef.withUnsafeMutableBufferPointer { dequantizeReference(expected, count: count, scale: scale, zeroPoint: zero, into: $0.baseAddress!) }
                fake.withUnsafeMutableBufferPointer { fakeQuantize(x, $0.baseAddress!, count: count, scale: scale, zeroPoint: zero, qmin: qmin, qmax: qmax) }
                XCTAssertEqual(back, backRef)
                XCTAssertEqual(fake, backRef)
                // Inside the range, the error is at most half a step.
                for i in 0..<count where expected[i] > qmin && expected[i] < qmax {
                    XCTAssertLessThanOrEqual(abs(back[i] - x[i]), scale / 2 * 1.0001)
                }
            }
        }
    }

    func testPerChannelUsesEachRowsParameters() {
        let w = Tensor<Float>(shape: [2, 3], scalars: [1, -2, 0.5, 10, 20, -40])
        let scales: [Float] = [2.0 / 127, 40.0 / 127], zeros: [Int32] = [0, 0]
        let q = w.quantizedPerChannel(as: Int8.self, scales: scales, zeroPoints: zeros, qmin: -127, qmax: 127)
        XCTAssertEqual(q.scalars, [64, -127, 32, 32, 64, -127])
        let back = q.dequantizedPerChannel(scales: scales, zeroPoints: zeros)
        for (a, b) in zip(back.scalars, w.scalars) { XCTAssertEqual(a, b, accuracy: 40.0 / 127 / 2) }
        let fake = w.fakeQuantizedPerChannel(scales: scales, zeroPoints: zeros, qmin: -127, qmax: 127)
        XCTAssertEqual(fake, back)
        let perTensor = w.quantized(as: Int8.self, scale: 40.0 / 127, zeroPoint: 0, qmin: -127, qmax: 127)
        XCTAssertEqual(perTensor.scalars, [3, -6, 2, 32, 64, -127])
        XCTAssertEqual(w.fakeQuantized(scale: 40.0 / 127, zeroPoint: 0, qmin: -127, qmax: 127),
                       perTensor.dequantized(scale: 40.0 / 127, zeroPoint: 0))
    }
}
