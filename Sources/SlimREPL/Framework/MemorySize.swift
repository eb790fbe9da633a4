import SlimLab

/// A number of bytes as typed in `set max-memory=16G`: a whole number with an optional unit
/// K, M, G or T (powers of 1024; `KiB`, `MB`, `GB`… read the same), bytes without one.
struct MemorySize: ArgumentValue, Equatable {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        var text = Substring(argument.uppercased())
        for suffix in ["IB", "B"] where text.hasSuffix(suffix) && text.count > suffix.count {
            text = text.dropLast(suffix.count)
            break
        }
        var shift = 0
        if let unit = text.last, let index = "KMGT".firstIndex(of: unit) {
            shift = 10 * ("KMGT".distance(from: "KMGT".startIndex, to: index) + 1)
            text = text.dropLast()
        }
        guard let value = Int(text), value > 0, value <= Int.max >> shift else { return nil }
        bytes = value << shift
    }

    static var valueKind: ValueKind {
        .quantity(placeholder: "SIZE", expectation: "a whole number of bytes with an optional unit K, M, G or T (e.g. 8G)")
    }

    var argumentText: String { String(ResourceError.bytes(bytes).filter { $0 != " " }) }
}
