import SlimLab

/// `plot mask TENSOR [VARIANT] [svg=PATH]`: which weights of a tensor a pruning kept, as a map.
struct PlotMaskCommand: REPLCommand {
    static let tensor = Positional<String>("TENSOR", kind: .name([.tensor]), summary: "a weight: fc1.weight, conv1.weight, …")

    static let configuration = CommandConfiguration(
        name: "mask", summary: "kept and pruned weights of a tensor as a 2-D map",
        discussion: """
            One dot per weight (or per block of weights on a small screen): rows are output units, \
            columns inputs. Unstructured pruning leaves scattered gaps; structured pruning clears \
            whole rows. A convolution's weight is shown with each filter as a row.
            """,
        arguments: [tensor, PlotCommand.variant, PlotCommand.svg],
        examples: ["plot mask fc1.weight", "plot mask fc1.weight pruned-80 svg=mask.svg"])

    let tensor: String, variant: String?, svg: String?
    init(arguments: ParsedArguments) throws {
        tensor = try arguments.value(Self.tensor)
        variant = try arguments.optionalValue(PlotCommand.variant)
        svg = try arguments.optionalValue(PlotCommand.svg)
    }

    func validate(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        let names = chosen.model.parameterNames
        guard names.contains(tensor) else {
            throw CommandError.unknownName(kind: .tensor, name: tensor, argument: nil,
                                           suggestion: Suggestion.closest(to: tensor, among: names), known: names)
        }
        let shape = try chosen.model.parameter(named: tensor).value.shape
        guard shape.count >= 2 else {
            throw CommandFailure("\(tensor) has shape [\(shape.map(String.init).joined(separator: ", "))]; a mask map needs a weight with rows and columns")
        }
    }

    func run(in context: CommandContext) throws {
        let chosen = try context.workspace.variants.variant(named: variant)
        let parameter = try chosen.model.parameter(named: tensor)
        let shape = parameter.value.shape
        let rows = shape[0], columns = shape.dropFirst().reduce(1, *)
        let kept = parameter.mask.map { $0.scalars.map { $0 != 0 } } ?? parameter.value.scalars.map { $0 != 0 }
        let map = MaskMap(title: "\(tensor) of \(chosen.name)", rows: rows, columns: columns, kept: kept,
                          rowLabel: "output unit", columnLabel: shape.count > 2 ? "filter weight" : "input")
        context.print(lines: map.render(width: context.width, height: 16, style: context.style))
        if parameter.mask == nil {
            context.print(context.style("(no pruning mask: the map shows the non-zero weights)", .dim))
        }
        if let svg { try context.writeSVG(PlotSVG.document(map), to: svg) }
    }
}
