#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The threads a kernel may use, passed explicitly to every parallel kernel.
///
/// A persistent pool: `threadCount − 1` worker threads live as long as the pool (or until
/// `resize`), and the calling thread works too, so a kernel call creates no threads. Between
/// jobs, workers spin briefly (yielding the CPU) for the next job, then sleep on a condition
/// variable, so an idle session costs nothing.
///
/// Kernels split their *output* (rows or tiles of C) into tasks, never a reduction, so
/// results are bit-identical for any thread count and any assignment of tasks to threads.
public final class ComputePool: @unchecked Sendable {
    /// How many threads (the caller included) run a parallel loop.
    public private(set) var threadCount: Int
    private var workers: WorkerGroup?
    private let callLock = Mutex<Void>(())
    /// Reusable scratch memory for the kernels running on this pool.
    let scratch = ScratchArena()

    /// A pool of `threads` threads (at least 1), the caller included.
    public init(threads: Int) {
        threadCount = max(1, threads)
        workers = threadCount > 1 ? WorkerGroup(workerCount: threadCount - 1) : nil
    }

    deinit { workers?.stop() }

    /// The number of CPUs online, the default pool size.
    public static var availableCores: Int { System.coreCount }

    /// Changes the number of threads; the next kernel call uses the new size. Must not be
    /// called while a kernel runs on this pool.
    public func resize(threads: Int) {
        let wanted = max(1, threads)
        if wanted == threadCount { return }
        workers?.stop()
        threadCount = wanted
        workers = wanted > 1 ? WorkerGroup(workerCount: wanted - 1) : nil
    }

    /// `parallelFor` when `parallel`, else the same loop on the caller alone: for kernels that
    /// cut a small call into several tasks for their own reasons (cache blocking) but judged it
    /// not worth a second thread.
    public func forEach(_ count: Int, parallel: Bool, _ body: (Int) -> Void) {
        if parallel {
            parallelFor(count, body)
        } else {
            for i in 0..<count { body(i) }
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, on up to `threadCount` threads, and returns
    /// when all have finished. Calls may run in any order and concurrently: `body` must write
    /// disjoint memory. Nested or concurrent calls on one pool run serially on the caller.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        guard count > 1, let workers else {
            for i in 0..<count { body(i) }
            return
        }
        // One job at a time: a concurrent or nested call runs on its own thread.
        let ran: Bool = callLock.withLockIfAvailable { _ in
            withoutActuallyEscaping(body) { escapable in
                workers.run(count: count, body: escapable)
            }
            return true
        } ?? false
        if !ran {
            for i in 0..<count { body(i) }
        }
    }
}

/// The job the workers are currently helping with.
///
/// Its tasks are dealt out in contiguous shares, one per thread (the caller is thread 0), and
/// each thread runs its own share first, in order, then helps with the others' from where
/// their owners got to. So when every thread is awake, thread t runs the same tasks on every
/// call — the same rows or tiles of the same output — and that memory stays in t's cache.
/// Taking tasks from one shared counter instead made the threads trade the output's cache
/// lines on every call; on a 2-vCPU AMD EPYC (Zen 5 class) VM that made two threads slower
/// than one for minutes at a time (int8 GEMM 1797×64→128: 514–600 GOP/s on two threads
/// against 785–810 on one), presumably while the host ran the two vCPUs on cores that share
/// no cache. A late or busy thread still loses nothing: the others finish its share.
private final class Job: @unchecked Sendable {
    let count: Int
    let participants: Int
    /// The loop body; cleared by the caller once every task has finished, before the
    /// non-escaping closure it came from goes out of scope.
    var body: ((Int) -> Void)?
    /// The next unclaimed task of each share, on cache lines of their own.
    private let shares: [Share]
    let finished = Atomic<Int>(0)

    private final class Share {
        let next: Atomic<Int>
        let end: Int
        // Keeps two shares' counters off one cache line (each is allocated on its own).
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        init(start: Int, end: Int) { next = Atomic(start); self.end = end }
    }

    init(count: Int, participants: Int, body: @escaping (Int) -> Void) {
        self.count = count
        self.participants = participants
        self.body = body
        shares = (0..<participants).map { t in Share(start: t * count / participants, end: (t + 1) * count / participants) }
    }

    /// Runs thread `participant`'s share, then helps with the others' until none are left.
    func work(as participant: Int) {
        for offset in 0..<participants {
            let share = shares[(participant + offset) % participants]
            while true {
                let i = share.next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= share.end { break }
                runTask(i)
                finished.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    @inline(never)
    private func runTask(_ i: Int) { body!(i) }
}

/// The worker threads of one pool size, and how they wait for work.
private final class WorkerGroup: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    /// The current job, read by workers under `mutex`.
    private var job: Job?
    /// Bumped for every job (and on stop); spinning workers watch it without the lock.
    private let generation = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var threads: [pthread_t] = []

    /// How long an idle worker watches for the next job before sleeping.
    private static let spinNanoseconds: UInt64 = 200_000

    init(workerCount: Int) {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        for index in 1...workerCount {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(WorkerStart(group: self, participant: index)).toOpaque()
            let status = pthread_create(&thread, nil, { context in
                let start = Unmanaged<WorkerStart>.fromOpaque(context!).takeRetainedValue()
                start.group.workerLoop(as: start.participant)
                return nil
            }, context)
            precondition(status == 0, "ComputePool: could not start a worker thread (error \(status))")
            threads.append(thread)
        }
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    func run(count: Int, body: @escaping (Int) -> Void) {
        let job = Job(count: count, participants: threads.count + 1, body: body)
        pthread_mutex_lock(&mutex)
        self.job = job
        generation.wrappingAdd(1, ordering: .releasing)
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        job.work(as: 0)
        // Wait for tasks other threads took; they are short, so spin (yielding).
        while job.finished.load(ordering: .acquiring) < count { sched_yield() }
        job.body = nil
    }

    func stop() {
        pthread_mutex_lock(&mutex)
        stopping.store(true, ordering: .releasing)
        generation.wrappingAdd(1, ordering: .releasing)
        job = nil
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    fileprivate func workerLoop(as participant: Int) {
        var seen = 0
        while true {
            // Spin a little: back-to-back kernel calls (a training loop) find us awake.
            let start = System.nanoseconds()
            while generation.load(ordering: .acquiring) == seen && System.nanoseconds() - start < Self.spinNanoseconds {
                sched_yield()
            }
            pthread_mutex_lock(&mutex)
            while generation.load(ordering: .acquiring) == seen && !stopping.load(ordering: .relaxed) {
                pthread_cond_wait(&condition, &mutex)
            }
            if stopping.load(ordering: .relaxed) {
                pthread_mutex_unlock(&mutex)
                return
            }
            seen = generation.load(ordering: .acquiring)
            let current = job
            pthread_mutex_unlock(&mutex)
            current?.work(as: participant)
        }
    }
}

/// What a new worker thread is handed: its group, and its number among the threads of a job
/// (the caller is 0).
private final class WorkerStart {
    let group: WorkerGroup
    let participant: Int
    init(group: WorkerGroup, participant: Int) { self.group = group; self.participant = participant }
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

    /// A monotonic clock in nanoseconds.
    static func nanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
