import XCTest
import SlimKernels

final class ConvolutionKernelTests: XCTestCase {
    let geometries = [
        ConvolutionGeometry(channels: 1, height: 8, width: 8, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1),
        ConvolutionGeometry(channels: 3, height: 7, width: 5, kernelHeight: 3, kernelWidth: 2, stride: 2, padding: 0),
        ConvolutionGeometry(channels: 2, height: 5, width: 9, kernelHeight: 5, kernelWidth: 3,
                            strideY: 1, strideX: 3, paddingY: 2, paddingX: 1),
        ConvolutionGeometry(channels: 1, height: 1, width: 1, kernelHeight: 1, kernelWidth: 1),
        ConvolutionGeometry(channels: 2, height: 11, width: 13, kernelHeight: 4, kernelWidth: 5,
                            strideY: 3, strideX: 2, paddingY: 1, paddingX: 2),
        ConvolutionGeometry(channels: 1, height: 3, width: 2, kernelHeight: 1, kernelWidth: 7,
                            strideY: 1, strideX: 1, paddingY: 0, paddingX: 3),
        ConvolutionGeometry(channels: 2, height: 2, width: 2, kernelHeight: 3, kernelWidth: 3),   // no output
        // Wide maps (16 output columns and more, stride 1) take the row-by-row path.
        ConvolutionGeometry(channels: 2, height: 28, width: 28, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1),
        ConvolutionGeometry(channels: 1, height: 9, width: 20, kernelHeight: 5, kernelWidth: 5,
                            strideY: 2, strideX: 1, paddingY: 2, paddingX: 2),
        ConvolutionGeometry(channels: 1, height: 4, width: 17, kernelHeight: 2, kernelWidth: 19,
                            strideY: 1, strideX: 1, paddingY: 0, paddingX: 9),
    ]

    func testIm2ColAndCol2ImMatchReferenceAndAreAdjoint() {
        var g = SeededGenerator(seed: 1)
        for geometry in geometries {
            let batch = 3
            let x = Tensor<Float>(shape: [batch, geometry.channels, geometry.height, geometry.width],
                                  scalars: randomFloats(batch * geometry.imageSize, &g))
            let columns = x.im2col(geometry)
            XCTAssertEqual(columns.shape, [geometry.patchSize, batch * geometry.outputPixels])
            var expected = [Float](repeating: 0, count: columns.count)
            x.withUnsafeBufferPointer { xb in
                expected.withUnsafeMutableBufferPointer { e in
                    for n in 0..<batch {
                        im2colReference(xb.baseAddress! + n * geometry.imageSize, geometry: geometry,
                                        columns: e.baseAddress! + n * geometry.outputPixels,
                                        ldColumns: batch * geometry.outputPixels)
                    }
                }
            }
            XCTAssertEqual(columns.scalars, expected)
            let y = Tensor<Float>(shape: columns.shape, scalars: randomFloats(columns.count, &g))
            let back = y.col2im(geometry, batch: batch)
            var backRef = [Float](repeating: 0, count: back.count)
            y.withUnsafeBufferPointer { yb in
                backRef.withUnsafeMutableBufferPointer { r in
                    for n in 0..<batch {
                        col2imReference(yb.baseAddress! + n * geometry.outputPixels, ldColumns: batch * geometry.outputPixels,
                                        geometry: geometry, image: r.baseAddress! + n * geometry.imageSize)
                    }
                }
            }
            // The same terms in the same order (kernel taps ascending): the same bits.
            XCTAssertEqual(back.scalars.map(\.bitPattern), backRef.map(\.bitPattern), "\(geometry)")
            // <im2col(x), y> = <x, col2im(y)>: col2im is im2col's transpose.
            let lhs = zip(columns.scalars, y.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(x.scalars, back.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * (1 + abs(lhs)))
        }
    }

    /// Windows after a ReLU (all zeros, −0 beside +0), NaN first or last, infinities: the 2×2
    /// pool keeps the reference's winner and index.
    func testTheTwoByTwoPoolKeepsTheReferencesWinnerOnTiesAndNaN() {
        let windows: [[Float]] = [[0, 0, 0, 0], [-0.0, 0, 0, -0.0], [0, -0.0, 1, 1], [.nan, 2, 3, 3], [.nan, .nan, .nan, .nan],
                                  [1, .nan, -1, 5], [-.infinity, -.infinity, -.infinity, -.infinity], [.infinity, .nan, 3, .infinity],
                                  [-3, -2, -2, -3], [-.nan, -1, .nan, -1]]
        // Each window as one 2×2 plane.
        let x = windows.flatMap { $0 }
        var y1 = [Float](repeating: 0, count: windows.count), y2 = y1
        var a1 = [Int](repeating: 0, count: windows.count), a2 = a1
        y1.withUnsafeMutableBufferPointer { y in a1.withUnsafeMutableBufferPointer { a in
            maxPool2D(x, planes: windows.count, height: 2, width: 2, output: y.baseAddress!, argmax: a.baseAddress!) } }
        y2.withUnsafeMutableBufferPointer { y in a2.withUnsafeMutableBufferPointer { a in
            maxPool2DReference(x, planes: windows.count, height: 2, width: 2, output: y.baseAddress!, argmax: a.baseAddress!) } }
        XCTAssertEqual(y1.map(\.bitPattern), y2.map(\.bitPattern))
        XCTAssertEqual(a1, a2)
        XCTAssertEqual(Array(a1.prefix(4)), [0, 4, 10, 14])
    }

    func testOutputSizeFollowsPyTorch() {
        let g = ConvolutionGeometry(channels: 1, height: 28, width: 28, kernelHeight: 5, kernelWidth: 5, stride: 2, padding: 2)
        XCTAssertEqual(g.outputHeight, 14)
        XCTAssertEqual(g.outputWidth, 14)
        XCTAssertEqual(g.patchSize, 25)
    }

    func testMaxPoolForwardBackwardMatchReference() {
        var g = SeededGenerator(seed: 2)
        for (planes, h, w, window, stride) in [(1, 4, 4, 2, 2), (6, 7, 5, 2, 2), (2, 9, 9, 3, 2), (3, 1, 1, 2, 2), (2, 6, 6, 2, 1)] {
            var x = randomFloats(planes * h * w, &g)
            if x.count > 3 { x[1] = x[0]; x[2] = .nan }
            let oh = pooledSize(h, window, stride), ow = pooledSize(w, window, stride)
            let outCount = planes * oh * ow
            var y1 = [Float](repeating: 0, count: outCount), y2 = y1
            var a1 = [Int](repeating: 0, count: outCount), a2 = a1
            y1.withUnsafeMutableBufferPointer { y in a1.withUnsafeMutableBufferPointer { a in
                maxPool2D(x, planes: planes, height: h, width: w, window: window, stride: stride,
                          output: y.baseAddress!, argmax: a.baseAddress!) } }
            y2.withUnsafeMutableBufferPointer { y in a2.withUnsafeMutableBufferPointer { a in
                maxPool2DReference(x, planes: planes, height: h, width: w, window: window, stride: stride,
                                   output: y.baseAddress!, argmax: a.baseAddress!) } }
            XCTAssertEqual(y1, y2)
            XCTAssertEqual(a1, a2)
            let dy = randomFloats(outCount, &g)
            var d1 = [Float](repeating: 9, count: planes * h * w), d2 = d1
            d1.withUnsafeMutableBufferPointer {
                maxPool2DBackward(outputGradient: dy, argmax: a1, outputCount: outCount,
                                  inputGradient: $0.baseAddress!, inputCount: planes * h * w)
            }
            d2.withUnsafeMutableBufferPointer {
                maxPool2DBackwardReference(outputGradient: dy, argmax: a1, outputCount: outCount,
                                           inputGradient: $0.baseAddress!, inputCount: planes * h * w)
            }
            assertClose(d1, d2, tolerance: 1e-6, "overlapping windows add up")
        }
        let x = Tensor<Float>(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 2,  3, 4, 2, 0])
        let (y, argmax) = x.maxPool2D()
        XCTAssertEqual(y.shape, [1, 1, 1, 2])
        XCTAssertEqual(y.scalars, [5, 2])
        XCTAssertEqual(argmax, [1, 2])
        let dx = Tensor<Float>(shape: [1, 1, 1, 2], scalars: [10, 20]).maxPool2DBackward(argmax: argmax, inputShape: x.shape)
        XCTAssertEqual(dx.scalars, [0, 10, 20, 0,  0, 0, 0, 0])
    }
}
