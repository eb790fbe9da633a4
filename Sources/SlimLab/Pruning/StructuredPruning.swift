import SlimKernels

/// A structured pruning run: the rankings, how the tensors shrank, and the report.
public struct StructuredPruningResult: Sendable {
    /// One ranking per pruned layer, in layer order.
    public var rankings: [UnitRanking]
    /// Every tensor whose shape changed.
    public var shapeChanges: [ShapeChange]
    /// What was done, in one line, and the steps that show it.
    public var title: String
    public var steps: [TechniqueStep]
}

/// Structured pruning: remove whole output units — neurons of a Dense layer, filters of a
/// Conv2D layer — with the weakest norms, and physically shrink the layer and the inputs of
/// the layer that consumes it (Li et al., 2017; Distiller's "thinning"). The result is a smaller
/// dense model that every dense kernel runs faster, unlike scattered zeros.
public enum StructuredPruning {
    /// The layers whose units can be removed: Dense and Conv2D layers whose output feeds another
    /// Dense or Conv2D layer through ReLU, max-pooling or flattening only. The output layer is
    /// never among them: its units are the classes.
    public static func shrinkableLayers(of model: Model) -> [String] {
        model.layers.indices.compactMap { i in consumer(of: i, in: model) == nil ? nil : model.layers[i].name }
    }

    /// Removes ⌊units·R⌋ units of each chosen layer (all shrinkable layers when `layers` is nil
    /// or empty), ranking each on its current weights, in layer order. Masks shrink with their
    /// weights; sparse or quantized inference kernels of changed layers, and any whole-model
    /// inference engine, are dropped.
    public static func prune(model: Model, ratio: Double, norm: WeightNorm, layers: [String]? = nil)
        throws -> (model: Model, result: StructuredPruningResult) {
        guard ratio.isFinite, ratio >= 0, ratio < 1 else { throw PruningError.ratioOutOfRange(ratio) }
        let shrinkable = shrinkableLayers(of: model)
        var chosen = shrinkable
        if let layers, !layers.isEmpty {
            var seen = Set<String>()
            for name in layers {
                let layer = LayerSelection.layerName(of: name)
                guard model.layers.contains(where: { $0.name == layer }) else {
                    throw PruningError.unknownLayer(name, available: shrinkable)
                }
                guard shrinkable.contains(layer) else {
                    throw PruningError.notShrinkable(layer: layer, shrinkable: shrinkable)
                }
                guard seen.insert(layer).inserted else { throw PruningError.duplicateLayer(name) }
            }
            chosen = shrinkable.filter(seen.contains)
        }
        if chosen.isEmpty { throw PruningError.noLayers }

        let beforeTable = model.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) }
        var current = model.layers
        var rankings: [UnitRanking] = []
        var changes: [ShapeChange] = []
        let title = "structured pruning of \(formatReal(ratio, digits: 6)) of the units by \(norm == .l1 ? "L1" : "L2") norm"
        var steps: [TechniqueStep] = []

        for name in chosen {
            let i = current.firstIndex { $0.name == name }!
            let working = try Model(inputShape: model.inputShape, layers: current)
            guard let j = consumer(of: i, in: working) else { throw PruningError.notShrinkable(layer: name, shrinkable: shrinkable) }
            let weight = current[i].parameters[0]
            let ranking = try UnitRanking(weight: NamedTensor(name: "\(name).weight", value: weight.value), ratio: ratio, norm: norm)
            rankings.append(ranking)

            let producerBefore = current[i].parameters.map { ("\(name).\($0.name)", $0.value.shape) }
            current[i] = try keepingUnits(ranking.kept, of: current[i])
            let units = weight.value.shape[0]
            let consumerBefore = current[j].parameters[0].value.shape
            current[j] = try keepingInputs(ranking.kept, units: units, of: current[j])
            for ((tensor, shape), p) in zip(producerBefore, current[i].parameters) where shape != p.value.shape {
                changes.append(ShapeChange(name: tensor, before: shape, after: p.value.shape))
            }
            let consumerChange = ShapeChange(name: "\(current[j].name).weight", before: consumerBefore,
                                             after: current[j].parameters[0].value.shape)
            if consumerChange.before != consumerChange.after { changes.append(consumerChange) }

            var rank = TechniqueStep(title: "Rank the \(current[i] is Conv2D ? "filters" : "neurons") of \(name) by \(norm == .l1 ? "L1" : "L2") norm")
            rank.items += ranking.definitions.prefix(1).map(TechniqueItem.rule)
            rank.items += PruningItems.ranking(ranking)
            rank.items += ranking.formulas.map(TechniqueItem.formula)
            steps.append(rank)

            var shrink = TechniqueStep(title: "Remove them from \(name) and the matching inputs of \(current[j].name)")
            shrink.items.append(.rule(ranking.definitions[1]))
            shrink.items += PruningItems.shapes(changes.filter { $0.name.hasPrefix("\(name).") || $0.name == consumerChange.name })
            shrink.items.append(.paragraph("The kept units compute exactly what they computed before; \(current[j].name) simply no longer reads the removed ones."))
            steps.append(shrink)
        }

        var pruned = model
        try pruned.replaceLayers(current)
        let afterTable = pruned.prunableWeights.map { LayerSparsity(name: $0.name, weight: $0.value) }
        var result = TechniqueStep(title: "Count what is left")
        result.items.append(PruningItems.layers(before: beforeTable, after: afterTable))
        steps.append(result)
        return (pruned, StructuredPruningResult(rankings: rankings, shapeChanges: changes, title: title, steps: steps))
    }

    /// The index of the Dense or Conv2D layer that reads layer `i`'s output, when only ReLU,
    /// max-pooling and flattening lie between them.
    static func consumer(of i: Int, in model: Model) -> Int? {
        let layers = model.layers
        guard layers[i] is Dense || layers[i] is Conv2D else { return nil }
        var j = i + 1
        while j < layers.count {
            let layer = layers[j]
            if layer is Dense || layer is Conv2D { return j }
            guard layer is ReLU || layer is MaxPool2D || layer is Flatten else { return nil }
            j += 1
        }
        return nil
    }

    /// `layer` with only the output units `kept` (rows of the weight, entries of the bias).
    static func keepingUnits(_ kept: [Int], of layer: any Layer) throws -> any Layer {
        var parameters = layer.parameters
        for p in parameters.indices {
            parameters[p].value = parameters[p].value.gathering(kept, along: 0)
            parameters[p].gradient = Tensor.zeros(parameters[p].value.shape)
            parameters[p].mask = parameters[p].mask?.gathering(kept, along: 0)
        }
        return try rebuilt(layer, parameters: parameters)
    }

    /// `layer` reading only the inputs that come from the kept units of a producer with `units`
    /// outputs. A Dense layer behind a flatten reads `units × spatial` features, channel-major.
    static func keepingInputs(_ kept: [Int], units: Int, of layer: any Layer) throws -> any Layer {
        var parameters = layer.parameters
        let weight = parameters[0].value
        func shrink(_ t: Tensor<Float>) -> Tensor<Float> {
            if t.rank == 2 {
                let spatial = t.shape[1] / units
                let blocks = t.reshaped([t.shape[0], units, spatial]).gathering(kept, along: 1)
                return blocks.reshaped([t.shape[0], kept.count * spatial])
            }
            return t.gathering(kept, along: 1)
        }
        precondition(weight.rank == 4 ? weight.shape[1] == units : weight.shape[1] % units == 0,
                     "keepingInputs: \(layer.name) weight \(weight.shape) does not read \(units) units")
        parameters[0].value = shrink(weight)
        parameters[0].gradient = Tensor.zeros(parameters[0].value.shape)
        parameters[0].mask = parameters[0].mask.map(shrink)
        return try rebuilt(layer, parameters: parameters)
    }

    /// A Dense or Conv2D layer like `layer` with new parameters (a Dense layer keeps its kernel's
    /// specification, derived again for the new shape).
    private static func rebuilt(_ layer: any Layer, parameters: [Parameter]) throws -> any Layer {
        if let dense = layer as? Dense { return dense.withParameters(parameters) }
        if let conv = layer as? Conv2D {
            var new = Conv2D(name: conv.name, weight: parameters[0].value, bias: parameters[1].value,
                             stride: conv.stride, padding: conv.padding, initialization: conv.initialization)
            new.parameters = parameters
            new.weightTransform = conv.weightTransform
            return new
        }
        throw PruningError.notShrinkable(layer: layer.name, shrinkable: [])
    }
}
