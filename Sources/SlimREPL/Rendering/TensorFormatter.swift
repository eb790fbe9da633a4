import SlimKernels

/// Prints tensors the way NumPy does: nested brackets, every element padded to one width,
/// and long dimensions elided to their first and last few entries with `…`.
///
/// ```
/// [[ 0.1235 -0.5000  1.0000 …  0.2000  0.3000  0.4000]
///  [ 0.0000  2.2500 -1.7500 … -0.1250  0.0625  0.5000]
///  …
///  [-0.3333  0.6667  0.0000 …  1.2000 -1.0000  0.0000]]
/// ```
public struct TensorFormatter: Sendable {
    /// Digits after the point for floating-point elements (the session precision).
    public var precision: Int
    /// How many leading and trailing entries an elided dimension keeps.
    public var edgeItems: Int

    public init(precision: Int = 4, edgeItems: Int = 3) {
        self.precision = precision
        self.edgeItems = max(1, edgeItems)
    }

    /// A float tensor at `precision` digits.
    public func format(_ tensor: Tensor<Float>) -> String {
        render(shape: tensor.shape) { NumberFormatting.fixed(tensor[flat: $0], digits: precision) }
    }

    /// A double tensor at `precision` digits.
    public func format(_ tensor: Tensor<Double>) -> String {
        render(shape: tensor.shape) { NumberFormatting.fixed(tensor[flat: $0], digits: precision) }
    }

    /// An integer tensor (int8 weights, int32 accumulators, labels).
    public func format<Element: BinaryInteger & BitwiseCopyable>(_ tensor: Tensor<Element>) -> String {
        render(shape: tensor.shape) { String(tensor[flat: $0]) }
    }

    /// Formats the elements of a row-major array of `shape`; `element(i)` gives the text of
    /// the element at flat index `i`. Only the elements shown are formatted.
    public func render(shape: [Int], element: (Int) -> String) -> String {
        if shape.isEmpty { return element(0) }
        if shape.contains(0) { return String(repeating: "[", count: shape.count) + String(repeating: "]", count: shape.count) }
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }

        // First pass: the texts of the shown elements, to find the common width.
        var texts: [Int: String] = [:]
        func collect(axis: Int, offset: Int) {
            for index in shownIndices(shape[axis]) {
                guard let index else { continue }
                let position = offset + index * strides[axis]
                if axis == shape.count - 1 { texts[position] = element(position) }
                else { collect(axis: axis + 1, offset: position) }
            }
        }
        collect(axis: 0, offset: 0)
        let width = texts.values.map { DisplayWidth.of($0) }.max() ?? 0

        func block(axis: Int, offset: Int, indent: Int) -> String {
            if axis == shape.count - 1 {
                let items = shownIndices(shape[axis]).map { index in
                    index.map { DisplayWidth.padLeft(texts[offset + $0 * strides[axis]]!, to: width) } ?? "…"
                }
                return "[" + items.joined(separator: " ") + "]"
            }
            let separator = "\n" + String(repeating: "\n", count: shape.count - axis - 2)
                + String(repeating: " ", count: indent + 1)
            let parts = shownIndices(shape[axis]).map { index in
                index.map { block(axis: axis + 1, offset: offset + $0 * strides[axis], indent: indent + 1) } ?? "…"
            }
            return "[" + parts.joined(separator: separator) + "]"
        }
        return block(axis: 0, offset: 0, indent: 0)
    }

    /// The indices shown along a dimension of `size`; nil stands for the elided middle.
    func shownIndices(_ size: Int) -> [Int?] {
        if size <= 2 * edgeItems { return Array(0..<size) }
        return Array(0..<edgeItems) + [nil] + Array((size - edgeItems)..<size)
    }

    /// A shape as `[64, 10]`.
    public static func describe(shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
