import Synchronization

/// A request to stop a long computation at its next safe point (a batch boundary, the end of
/// a calibration pass). The REPL raises it from its Ctrl-C handler; training, pruning
/// schedules and calibration poll it, so they stop with the session consistent.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the running computation to stop. Safe to call from a signal handler.
    public func request() { flag.store(true, ordering: .relaxed) }

    /// Whether a stop was requested since the last `reset()`.
    public var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Clears the request; called before each command starts.
    public func reset() { flag.store(false, ordering: .relaxed) }
}
