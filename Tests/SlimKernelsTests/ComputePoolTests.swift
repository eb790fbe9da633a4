import XCTest
import Synchronization
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import SlimKernels

final class ComputePoolTests: XCTestCase {
    func testEveryIndexRunsExactlyOnceForAnyThreadCount() {
        for threads in [1, 2, 3, 8] {
            let pool = ComputePool(threads: threads)
            for count in [0, 1, 2, 7, 64, 1000] {
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(1, count))
                hits.initialize(repeating: 0, count: max(1, count))
                defer { hits.deallocate() }
                pool.parallelFor(count) { i in hits[i] += 1 }
                for i in 0..<count { XCTAssertEqual(hits[i], 1, "threads \(threads) count \(count) index \(i)") }
            }
        }
    }

    func testWorkSpreadsOverThreads() {
        let pool = ComputePool(threads: 2)
        let threadsSeen = Mutex<Set<UInt>>([])
        // Tasks long enough (sleeping, so a busy machine does not matter) that the worker joins.
        pool.parallelFor(16) { _ in
            usleep(2000)
            let id = UInt(pthread_self())
            threadsSeen.withLock { _ = $0.insert(id) }
        }
        XCTAssertEqual(threadsSeen.withLock { $0.count }, 2)
    }

    func testEachThreadStartsOnItsOwnShare() {
        // 16 tasks on 2 threads: the caller owns 0..<8, the worker 8..<16. Each runs its own
        // share first, in order, so the same thread writes the same output on every call.
        let pool = ComputePool(threads: 2)
        let caller = UInt(pthread_self())
        let runBy = Mutex<[Int: UInt]>([:])
        let order = Mutex<[UInt: [Int]]>([:])
        pool.parallelFor(16) { i in
            let id = UInt(pthread_self())
            runBy.withLock { $0[i] = id }
            order.withLock { $0[id, default: []].append(i) }
            usleep(2000)
        }
        let threads = runBy.withLock { $0 }, sequences = order.withLock { $0 }
        XCTAssertEqual(threads.count, 16)
        XCTAssertEqual(threads[0], caller, "the caller starts with task 0")
        XCTAssertNotEqual(threads[8], caller, "the worker starts with task 8")
        XCTAssertEqual(sequences[caller]?.first, 0)
        XCTAssertEqual(sequences.values.first { $0.first != 0 }?.first, 8)
        for (_, tasks) in sequences {
            // A thread's own share comes first and in order (it may end with tasks it helped with).
            let own = tasks.prefix { $0 / 8 == tasks[0] / 8 }
            XCTAssertEqual(Array(own), Array(own.sorted()))
        }
    }

    func testResizeChangesTheThreadCount() {
        let pool = ComputePool(threads: 4)
        XCTAssertEqual(pool.threadCount, 4)
        pool.resize(threads: 1)
        XCTAssertEqual(pool.threadCount, 1)
        pool.resize(threads: 0)
        XCTAssertEqual(pool.threadCount, 1)
        pool.resize(threads: 3)
        XCTAssertEqual(pool.threadCount, 3)
        let sum = Atomic<Int>(0)
        pool.parallelFor(100) { i in sum.wrappingAdd(i, ordering: .relaxed) }
        XCTAssertEqual(sum.load(ordering: .relaxed), 4950)
    }

    func testNestedCallsRunOnTheCaller() {
        let pool = ComputePool(threads: 2)
        let total = Atomic<Int>(0)
        pool.parallelFor(4) { _ in
            pool.parallelFor(5) { j in total.wrappingAdd(j, ordering: .relaxed) }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * 10)
    }

    func testConcurrentCallersOnOnePool() {
        let pool = ComputePool(threads: 2)
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50 {
                pool.parallelFor(10) { _ in total.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * 50 * 10)
    }

    func testManyPoolsComeAndGo() {
        for t in 1...6 {
            let pool = ComputePool(threads: t)
            pool.parallelFor(t * 3) { _ in }
        }
    }
}
