import XCTest
import SlimKernels
@testable import SlimREPL

final class TensorFormatterTests: XCTestCase {
    func testSmallMatrixPadsToOneWidth() {
        let tensor = Tensor<Float>(shape: [2, 3], scalars: [1, -0.5, 0.25, 10, 0, -0.00001])
        XCTAssertEqual(TensorFormatter(precision: 4).format(tensor), """
            [[ 1.0000 -0.5000  0.2500]
             [10.0000  0.0000  0.0000]]
            """)
    }

    func testElidesRowsAndColumnsBeyondTheEdges() {
        let tensor = Tensor<Float>(shape: [8, 8], scalars: (0..<64).map { Float($0) / 7 - 4 })
        XCTAssertEqual(TensorFormatter(precision: 2).format(tensor), """
            [[-4.00 -3.86 -3.71 … -3.29 -3.14 -3.00]
             [-2.86 -2.71 -2.57 … -2.14 -2.00 -1.86]
             [-1.71 -1.57 -1.43 … -1.00 -0.86 -0.71]
             …
             [ 1.71  1.86  2.00 …  2.43  2.57  2.71]
             [ 2.86  3.00  3.14 …  3.57  3.71  3.86]
             [ 4.00  4.14  4.29 …  4.71  4.86  5.00]]
            """)
    }

    func testSixEntriesAreShownWholeSevenAreElided() {
        let formatter = TensorFormatter(precision: 0)
        XCTAssertEqual(formatter.format(Tensor<Float>(shape: [6], scalars: [1, 2, 3, 4, 5, 6])), "[1 2 3 4 5 6]")
        XCTAssertEqual(formatter.format(Tensor<Float>(shape: [7], scalars: [1, 2, 3, 4, 5, 6, 7])), "[1 2 3 … 5 6 7]")
        XCTAssertEqual(TensorFormatter(precision: 0, edgeItems: 1).format(Tensor<Float>(shape: [3], scalars: [1, 2, 3])), "[1 … 3]")
    }

    func testIntegerTensorsOfRankThree() {
        let tensor = Tensor<Int8>(shape: [2, 2, 8], scalars: (0..<32).map { Int8($0 - 16) })
        XCTAssertEqual(TensorFormatter().format(tensor), """
            [[[-16 -15 -14 … -11 -10  -9]
              [ -8  -7  -6 …  -3  -2  -1]]

             [[  0   1   2 …   5   6   7]
              [  8   9  10 …  13  14  15]]]
            """)
    }

    func testElidedOuterDimension() {
        let tensor = Tensor<Int32>(shape: [7, 1, 2], scalars: (0..<14).map { Int32($0) })
        XCTAssertEqual(TensorFormatter().format(tensor), """
            [[[ 0  1]]

             [[ 2  3]]

             [[ 4  5]]

             …

             [[ 8  9]]

             [[10 11]]

             [[12 13]]]
            """)
    }

    func testScalarsEmptyAndSpecialValues() {
        XCTAssertEqual(TensorFormatter(precision: 3).format(Tensor<Float>(shape: [], scalars: [2])), "2.000")
        XCTAssertEqual(TensorFormatter().format(Tensor<Float>(shape: [2, 0], scalars: [])), "[[]]")
        XCTAssertEqual(TensorFormatter(precision: 1).format(Tensor<Float>(shape: [3], scalars: [.nan, .infinity, -.infinity])),
                       "[ nan  inf -inf]")
        XCTAssertEqual(TensorFormatter(precision: 2).format(Tensor<Double>(shape: [2], scalars: [0.125, -2])), "[ 0.12 -2.00]")
    }

    func testShapeDescription() {
        XCTAssertEqual(TensorFormatter.describe(shape: [64, 10]), "[64, 10]")
        XCTAssertEqual(TensorFormatter.describe(shape: []), "[]")
    }
}
