import XCTest
@testable import SlimKernels

final class TensorTests: XCTestCase {
    func testCopyOnWriteKeepsTheOriginal() {
        let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var b = a
        b[1, 2] = 60
        XCTAssertEqual(a[1, 2], 6)
        XCTAssertEqual(b[1, 2], 60)
        XCTAssertEqual(b.scalars, [1, 2, 3, 4, 5, 60])
    }

    func testStorageIsCacheLineAligned() {
        for n in [0, 1, 3, 17, 1000] {
            let t = Tensor<Float>(shape: [n], repeating: 1)
            t.withUnsafeBufferPointer { buffer in
                XCTAssertEqual(Int(bitPattern: buffer.baseAddress) % 64, 0, "count \(n)")
            }
        }
    }

    func testReshapeKeepsElements() {
        let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).reshaped([3, 2])
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertEqual(t[2, 1], 6)
    }
}
