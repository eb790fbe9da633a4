import Synchronization

/// Reusable, 64-byte-aligned scratch memory for kernels (packed panels, accumulators,
/// transposes), owned by a `ComputePool`.
///
/// Fresh large allocations are expensive here: glibc serves them with `mmap`, so every call
/// would page-fault its buffers in again. Buffers are checked out and back in under a lock, so
/// kernels running concurrently on one pool never share one.
final class ScratchArena: @unchecked Sendable {
    private struct Buffer: @unchecked Sendable { var pointer: UnsafeMutableRawPointer; var capacity: Int }
    private let free = Mutex<[Buffer]>([])
    /// Buffers kept for reuse; more are released when checked in.
    private let keep = 16

    /// Runs `body` with at least `byteCount` bytes of uninitialized, 64-byte-aligned memory.
    func withBuffer<R>(byteCount: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let buffer = checkOut(byteCount)
        defer { checkIn(buffer) }
        return try body(buffer.pointer)
    }

    /// Runs `body` with room for `count` values of `T`.
    func withBuffer<T, R>(of: T.Type, count: Int, _ body: (UnsafeMutablePointer<T>) throws -> R) rethrows -> R {
        try withBuffer(byteCount: max(1, count) * MemoryLayout<T>.stride) { raw in
            try body(raw.bindMemory(to: T.self, capacity: max(1, count)))
        }
    }

    private func checkOut(_ byteCount: Int) -> Buffer {
        let found: Buffer? = free.withLock { buffers in
            var best: Int? = nil
            for (i, b) in buffers.enumerated() where b.capacity >= byteCount {
                if best == nil || b.capacity < buffers[best!].capacity { best = i }
            }
            return best.map { buffers.remove(at: $0) }
        }
        if let found { return found }
        var capacity = 4096
        while capacity < byteCount { capacity *= 2 }
        return Buffer(pointer: .allocate(byteCount: capacity, alignment: 64), capacity: capacity)
    }

    private func checkIn(_ buffer: Buffer) {
        let extra: Buffer? = free.withLock { buffers in
            buffers.append(buffer)
            if buffers.count <= keep { return nil }
            // Release the smallest: the large ones are the expensive ones to fault in again.
            let smallest = buffers.indices.min { buffers[$0].capacity < buffers[$1].capacity }!
            return buffers.remove(at: smallest)
        }
        extra?.pointer.deallocate()
    }

    deinit {
        free.withLock { buffers in
            for b in buffers { b.pointer.deallocate() }
            buffers = []
        }
    }
}
