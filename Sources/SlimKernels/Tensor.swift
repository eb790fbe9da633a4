/// A dense, row-major, contiguous array of `Element` with an explicit shape.
///
/// `Tensor` is a value: copies share storage until one of them is written (copy-on-write),
/// so passing tensors around costs nothing and a variant's weights cannot change behind its
/// back. Storage is 64-byte aligned, and the kernels read it through `withUnsafeBufferPointer`.
///
/// ```swift
/// var w = Tensor<Float>(shape: [2, 3], repeating: 0)
/// w[1, 2] = 5
/// w.shape          // [2, 3]
/// w.scalars        // [0, 0, 0, 0, 0, 5]
/// ```
public struct Tensor<Element: BitwiseCopyable>: @unchecked Sendable {
    public private(set) var shape: [Int]
    @usableFromInline var storage: AlignedStorage<Element>

    /// A tensor of the given shape with every element `value`.
    public init(shape: [Int], repeating value: Element) {
        self.shape = shape
        self.storage = AlignedStorage(count: Self.elementCount(of: shape), repeating: value)
    }

    /// A tensor of the given shape holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Element]) {
        let count = Self.elementCount(of: shape)
        precondition(count == scalars.count, "Tensor: shape \(shape) needs \(count) scalars, got \(scalars.count)")
        self.shape = shape
        self.storage = scalars.withUnsafeBufferPointer { AlignedStorage(copying: $0) }
    }

    /// A tensor whose elements the caller fills through `initializer`, which receives a buffer
    /// of `shape`'s element count. Every element must be written.
    public init(shape: [Int], unsafeUninitialized initializer: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        self.shape = shape
        self.storage = AlignedStorage(uninitializedCount: Self.elementCount(of: shape))
        try initializer(storage.buffer)
    }

    /// The element count of `shape`, multiplied with overflow checks: a shape whose count
    /// does not fit in `Int` (or with a negative dimension) is a programming error that stops
    /// here with its shape named, never a silent wrap-around. Callers taking sizes from users
    /// or files check them against a budget first.
    public static func elementCount(of shape: [Int]) -> Int {
        var count = 1
        for dimension in shape {
            precondition(dimension >= 0, "Tensor: negative dimension in \(shape)")
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            precondition(!overflow, "Tensor: the element count of shape \(shape) overflows")
            count = product
        }
        return count
    }

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The elements in row-major order, as an array.
    public var scalars: [Element] { Array(storage.buffer) }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let needed = Self.elementCount(of: newShape)
        precondition(needed == count, "Tensor.reshaped: \(shape) has \(count) elements, \(newShape) needs \(needed)")
        var copy = self
        copy.shape = newShape
        return copy
    }

    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(storage.buffer)
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = AlignedStorage(copying: UnsafeBufferPointer(storage.buffer))
        }
    }

    /// The element at a flat, row-major index.
    @inlinable
    public subscript(flat index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "Tensor: flat index \(index) out of range 0..<\(count)")
            return storage.pointer[index]
        }
        set {
            precondition(index >= 0 && index < count, "Tensor: flat index \(index) out of range 0..<\(count)")
            makeUnique()
            storage.pointer[index] = newValue
        }
    }

    /// The element at a full multi-dimensional index.
    public subscript(_ indices: Int...) -> Element {
        get { self[flat: flatIndex(indices)] }
        set { self[flat: flatIndex(indices)] = newValue }
    }

    /// The row-major flat index of a full multi-dimensional index.
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "Tensor: \(indices.count) indices for shape \(shape)")
        var flat = 0
        for (i, dimension) in zip(indices, shape) {
            precondition(i >= 0 && i < dimension, "Tensor: index \(indices) out of range for shape \(shape)")
            flat = flat * dimension + i
        }
        return flat
    }
}

extension Tensor: Equatable where Element: Equatable {
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) }
        }
    }
}

extension Tensor where Element == Float {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
}
