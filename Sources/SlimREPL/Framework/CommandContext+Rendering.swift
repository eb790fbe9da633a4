import SlimKernels
import SlimLab

/// Printing the toolkit's pieces at the session's width, precision and colors, so a
/// command writes `context.show(table)` and gets a fitted, styled table on a terminal and
/// a plain one in a script.
extension CommandContext {
    /// A tensor formatter at the session precision.
    public var tensorFormatter: TensorFormatter { TensorFormatter(precision: precision) }

    /// Prints a table fitted to the output's width.
    public func show(_ table: Table) {
        print(table.render(width: width, style: style))
    }

    /// Prints a float tensor NumPy-style at the session precision.
    public func show(_ tensor: Tensor<Float>) {
        print(tensorFormatter.format(tensor))
    }

    /// Prints an integer tensor NumPy-style.
    public func show<Element: BinaryInteger & BitwiseCopyable>(_ tensor: Tensor<Element>) {
        print(tensorFormatter.format(tensor))
    }

    /// Prints a formula block laid out for the output's width.
    public func show(_ formula: FormulaBlock) {
        print(formula.render(style: style, width: width))
    }

    /// Prints a summary line (`made …`, `loaded …`) wrapped at word boundaries to the width,
    /// every line after the first indented by `hanging`.
    public func printWrapped(_ text: String, hanging: String = "  ") {
        print(lines: TextWrapping.wrap(text, width: width, hanging: hanging))
    }

    /// Prints a report's formula as a boxed derivation at the session precision.
    public func show(_ formula: Formula, title: String? = nil, terms: [FormulaBlock.Term] = []) {
        show(FormulaBlock(formula, digits: precision, title: title, terms: terms))
    }

    /// Prints a bar chart whose bars fit the output's width.
    public func show(_ chart: BarChart) {
        let labels = chart.bars.map { DisplayWidth.of($0.label) }.max() ?? 0
        let values = chart.bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let gutter = chart.markedBar == nil ? 0 : 2
        print(chart.render(barWidth: max(10, min(40, width - labels - values - gutter - 4)), style: style))
    }

    /// Prints a histogram with its range at the session precision.
    public func show(_ histogram: Histogram, height: Int = 8) {
        print(histogram.render(height: height, digits: precision, style: style))
    }
}
