import SlimLab

/// A number of multiply-adds as typed in `set max-work=100T`: a whole number with an optional
/// unit K, M, G, T or P (powers of 1000).
struct WorkAmount: ArgumentValue, Equatable {
    var multiplyAdds: Int

    init(multiplyAdds: Int) { self.multiplyAdds = multiplyAdds }

    private static let units = Array("KMGTP")

    init?(argument: String) {
        var text = Substring(argument.uppercased())
        var factor = 1
        if let unit = text.last, let index = Self.units.firstIndex(of: unit) {
            for _ in 0...index { factor *= 1000 }
            text = text.dropLast()
        }
        guard let value = Int(text), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        multiplyAdds = product
    }

    static var valueKind: ValueKind {
        .quantity(placeholder: "COUNT", expectation: "a whole number of multiply-adds with an optional unit K, M, G, T or P (powers of 1000, e.g. 100T)")
    }

    /// `10T`, `2500G`, `123`: the largest unit that divides the count.
    var argumentText: String {
        var value = multiplyAdds, unit = -1
        while unit + 1 < Self.units.count, value % 1000 == 0, value > 0 {
            value /= 1000
            unit += 1
        }
        return unit < 0 ? String(value) : "\(value)\(Self.units[unit])"
    }
}
