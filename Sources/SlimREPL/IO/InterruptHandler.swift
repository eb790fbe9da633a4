#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SlimLab

/// Ctrl-C for an interactive session: a `SIGINT` handler that only stores into atomics.
///
/// It raises the session's `StopSignal` (which long commands poll at safe points) and marks
/// an interrupt as pending, which the line editor takes to clear the line at the prompt.
/// Without it, Ctrl-C would kill the process and lose the history. Scripts keep the default
/// behaviour (Ctrl-C ends them).
public enum InterruptHandler {
    /// The retained `StopSignal` to raise, as an address (0 when none).
    private static let target = Atomic<UInt>(0)
    private static let pending = Atomic<Bool>(false)

    /// Routes `SIGINT` to `stop` until `uninstall()`. The handler does not restart
    /// interrupted reads, so a waiting prompt or pause sees the interrupt at once.
    public static func install(stop: StopSignal) {
        let retained = UInt(bitPattern: Unmanaged.passRetained(stop).toOpaque())
        release(target.exchange(retained, ordering: .sequentiallyConsistent))
        _ = pending.exchange(false, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handleInterrupt
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Restores the default `SIGINT` behaviour.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
        release(target.exchange(0, ordering: .sequentiallyConsistent))
    }

    private static func release(_ address: UInt) {
        guard let pointer = UnsafeRawPointer(bitPattern: address) else { return }
        Unmanaged<StopSignal>.fromOpaque(pointer).release()
    }

    /// Whether Ctrl-C was pressed since the last call; clears the mark.
    public static func takePending() -> Bool {
        pending.exchange(false, ordering: .sequentiallyConsistent)
    }

    fileprivate static func interrupted() {
        pending.store(true, ordering: .sequentiallyConsistent)
        if let pointer = UnsafeRawPointer(bitPattern: target.load(ordering: .sequentiallyConsistent)) {
            Unmanaged<StopSignal>.fromOpaque(pointer)._withUnsafeGuaranteedRef { $0.request() }
        }
    }
}

/// The `SIGINT` handler: async-signal-safe (atomic loads and stores only).
private func handleInterrupt(_ signal: Int32) {
    InterruptHandler.interrupted()
}
