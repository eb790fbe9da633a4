import SlimLab

extension FormulaBlock {
    /// A block showing a report's `Formula` as a derivation, one step per line, with the
    /// `=` signs aligned:
    ///
    /// ```
    ///   ┌─ scale ─────────────────────────────┐
    ///   │ s = (max - min) / (q_max - q_min)   │
    ///   │   = (0.8 - (-0.4)) / (127 - (-128)) │
    ///   │   = 0.004706                        │
    ///   └─────────────────────────────────────┘
    /// ```
    ///
    /// - Parameter digits: passed to the formula's own formatting (decimals for computed
    ///   values, significant digits for reals).
    public init(_ formula: Formula, digits: Int, title: String? = nil, terms: [Term] = [],
                frame: Frame = .boxed) {
        var first = formula.symbol.isEmpty ? formula.symbolic : "\(formula.symbol) = \(formula.symbolic)"
        var steps: [String] = []
        if !formula.substituted.isEmpty { steps.append(formula.substitutedText(digits: digits)) }
        if let result = formula.result { steps.append(result.formatted(digits: digits)) }
        // Align the following `=` under the first one; a formula without `=` gets its first
        // step on the same line.
        let lines: [String]
        if let equals = first.range(of: " = ") {
            let indent = String(repeating: " ", count: DisplayWidth.of(String(first[..<equals.lowerBound])))
            lines = [first] + steps.map { indent + " = " + $0 }
        } else if let head = steps.first {
            first += " = " + head
            let indent = String(repeating: " ", count: DisplayWidth.of(formula.symbolic))
            lines = [first] + steps.dropFirst().map { indent + " = " + $0 }
        } else {
            lines = [first]
        }
        self.init(title: title, lines: lines, terms: terms, frame: frame)
    }
}
