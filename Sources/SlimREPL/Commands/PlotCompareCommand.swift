import SlimLab

/// `plot compare [x=bytes|parameters|nonzero] [y=accuracy|delta] [svg=PATH]`: every variant by
/// size and accuracy, the Pareto front joined.
struct PlotCompareCommand: REPLCommand {
    enum Size: String, CaseIterable, ArgumentValue { case bytes, parameters, nonzero }
    enum Quality: String, CaseIterable, ArgumentValue { case accuracy, delta }

    static let x = Option<Size>("x", default: .bytes, summary: "the size: bytes as stored, parameters, or non-zero weights")
    static let y = Option<Quality>("y", default: .accuracy, summary: "test accuracy, or its change from the baseline (points)")

    static let configuration = CommandConfiguration(
        name: "compare", summary: "size vs accuracy of every model, the Pareto front marked",
        discussion: """
            The models `compare` lists, without timings. ● marks the Pareto front (no other model \
            is both smaller and more accurate), joined from the smallest; ○ marks the others.
            """,
        arguments: [x, y, PlotCommand.svg], examples: ["plot compare", "plot compare x=nonzero y=delta"])

    let size: Size, quality: Quality, svg: String?
    init(arguments: ParsedArguments) throws {
        size = try arguments.value(Self.x)
        quality = try arguments.value(Self.y)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        if context.workspace.variants.isEmpty { throw VariantError.noVariants }
        guard context.workspace.data != nil else {
            throw CommandFailure("plot compare needs test accuracy: load data first with 'data load digits'")
        }
    }

    func run(in context: CommandContext) throws {
        let workspace = context.workspace
        let comparison = try workspace.variants.compare(test: workspace.data?.test, timing: false, pool: workspace.pool)
        let rows = comparison.rows.filter { quality == .accuracy ? $0.testAccuracy != nil : $0.deltaAccuracyPoints != nil }
        guard !rows.isEmpty else { throw CommandFailure("no model has a test accuracy yet; train one first") }
        func cost(_ row: Comparison.Row) -> Double {
            switch size {
            case .bytes: Double(row.byteCount)
            case .parameters: Double(row.parameterCount)
            case .nonzero: Double(row.nonZeroCount)
            }
        }
        func value(_ row: Comparison.Row) -> Double {
            quality == .accuracy ? row.testAccuracy! : row.deltaAccuracyPoints!
        }
        let front = ParetoFront.indices(costs: rows.map(cost), values: rows.map(value))
        let point = { (row: Comparison.Row) in Plot.Point(cost(row), value(row), label: row.name) }
        var series = [Plot.Series("Pareto front", points: front.map { point(rows[$0]) }, kind: .line, marker: .dot)]
        let others = rows.indices.filter { !front.contains($0) }
        if !others.isEmpty {
            series.append(Plot.Series("dominated", points: others.map { point(rows[$0]) }, kind: .points, marker: .circle))
        }
        let xAxis: Plot.Axis
        switch size {
        case .bytes: xAxis = Plot.Axis("size (KiB)", unit: .kibibytes)
        case .parameters: xAxis = Plot.Axis("parameters", unit: .integer)
        case .nonzero: xAxis = Plot.Axis("non-zero weights and biases", unit: .integer)
        }
        let yAxis = quality == .accuracy ? Plot.Axis("test accuracy", unit: .percent) : Plot.Axis("Δ accuracy (points)")
        let plot = Plot(title: "size and accuracy of \(rows.count) model\(rows.count == 1 ? "" : "s")", x: xAxis, y: yAxis,
                        series: series)
        try context.show([plot], heights: [12], svg: svg)
    }
}
