/// Heap storage of `count` elements aligned to 64 bytes (one cache line, one AVX-512 register),
/// owned by exactly one object so that copy-on-write has one place to look.
public final class AlignedStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    /// The byte alignment of every allocation: a cache line.
    public static var alignment: Int { 64 }

    public let count: Int
    public let pointer: UnsafeMutablePointer<Element>

    /// Allocates `count` elements, every one set to `value`.
    public init(count: Int, repeating value: Element) {
        precondition(count >= 0, "AlignedStorage: negative count \(count)")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<Element>.stride,
            alignment: Self.alignment)
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
        pointer.initialize(repeating: value, count: count)
    }

    /// Allocates a copy of `source`.
    public convenience init(copying source: UnsafeBufferPointer<Element>) {
        self.init(uninitializedCount: source.count)
        if let base = source.baseAddress, source.count > 0 {
            pointer.update(from: base, count: source.count)
        }
    }

    /// Allocates `count` elements whose contents the caller must write before reading.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "AlignedStorage: negative count \(count)")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<Element>.stride,
            alignment: Self.alignment)
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    deinit {
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    public var buffer: UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}
