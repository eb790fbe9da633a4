import XCTest
@testable import SlimKernels

final class TaskGridTests: XCTestCase {
    /// Every row and column unit lies in exactly one block and group, and the pieces differ by
    /// at most one unit.
    func testBlocksAndGroupsCoverEveryUnitOnceAndEvenly() {
        for (rows, columns) in [(1, 1), (1, 9), (22, 8), (150, 4), (225, 4), (86, 32), (2, 1), (1000, 3), (7, 7)] {
            for threads in [1, 2, 3, 8] {
                for wanted in [1, 2, 8, 32] {
                    let grid = TaskGrid(rowUnits: rows, columnUnits: columns, maxRowUnits: 8, threads: threads, wanted: wanted)
                    let label = "\(rows)×\(columns) threads \(threads) wanted \(wanted)"
                    XCTAssertEqual((0..<grid.rowBlocks).flatMap { Array(grid.rows($0)) }, Array(0..<rows), label)
                    XCTAssertEqual((0..<grid.columnGroups).flatMap { Array(grid.columns($0)) }, Array(0..<columns), label)
                    let blockSizes = (0..<grid.rowBlocks).map { grid.rows($0).count }
                    let groupSizes = (0..<grid.columnGroups).map { grid.columns($0).count }
                    XCTAssertLessThanOrEqual(blockSizes.max()! - blockSizes.min()!, 1, label)
                    XCTAssertLessThanOrEqual(groupSizes.max()! - groupSizes.min()!, 1, label)
                    XCTAssertGreaterThan(blockSizes.min()!, 0, label)
                    XCTAssertEqual(grid.isParallel, wanted > 1, label)
                }
            }
        }
    }

    /// The cases that were unbalanced with blocks of a fixed size: 1797 rows in 8-row panels
    /// (7 blocks of 32 and one of 1) and 256 rows in 12-row tiles (8 + 8 + 6). Now each of two
    /// threads' contiguous share of the tasks holds the same work, give or take one unit.
    func testEachThreadsShareOfTheTasksIsTheSameWork() {
        for (rows, columns, maxRows) in [(225, 4, 32), (22, 8, 8), (150, 4, 8), (86, 32, 8), (32, 8, 32)] {
            for threads in [2, 3, 4] {
                let grid = TaskGrid(rowUnits: rows, columnUnits: columns, maxRowUnits: maxRows, threads: threads, wanted: 8)
                XCTAssertGreaterThanOrEqual(grid.count, 8)
                XCTAssertEqual(grid.rowBlocks % threads, 0, "\(rows)×\(columns) on \(threads) threads")
                // The pool's shares: thread t runs tasks t·count/threads ..< (t+1)·count/threads,
                // tasks numbered row block by row block.
                let work = (0..<threads).map { t in
                    (t * grid.count / threads ..< (t + 1) * grid.count / threads).reduce(0) { sum, task in
                        sum + grid.rows(task / grid.columnGroups).count * grid.columns(task % grid.columnGroups).count
                    }
                }
                let unit = grid.columns(0).count
                XCTAssertLessThanOrEqual(work.max()! - work.min()!, 2 * unit, "\(rows)×\(columns) on \(threads) threads: \(work)")
            }
        }
    }
}
