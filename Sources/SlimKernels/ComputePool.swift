#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// The threads a kernel may use, passed explicitly to every parallel kernel.
///
/// Work is split into `threadCount` contiguous chunks of *output* (rows or tiles of C), never
/// of a reduction, so results are bit-identical for any thread count.
public final class ComputePool: @unchecked Sendable {
    /// How many chunks parallel kernels split their output into.
    public private(set) var threadCount: Int

    /// A pool of `threads` workers (at least 1).
    public init(threads: Int) {
        threadCount = max(1, threads)
    }

    /// The number of CPUs online, the default pool size.
    public static var availableCores: Int { System.coreCount }

    /// Changes the number of workers; the next kernel call uses the new size.
    public func resize(threads: Int) {
        threadCount = max(1, threads)
    }

    /// Runs `body(i)` for every `i` in `0..<count`, on up to `threadCount` threads.
    /// Calls may run in any order and concurrently: `body` must write disjoint memory.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if threadCount == 1 || count == 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
        }
    }
}

/// Wraps a value the caller promises is safe to share across the threads of one kernel call.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

enum System {
    static var coreCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}
