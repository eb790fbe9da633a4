import SlimKernels

/// Which of the prunable weights a command asked for.
public enum LayerSelection {
    /// The weights named in `names`, in the model's order; all of `available` when `names` is
    /// nil or empty. A name may be the layer (`fc1`) or its weight (`fc1.weight`).
    public static func select(_ names: [String]?, from available: [NamedTensor]) throws -> [NamedTensor] {
        guard let names, !names.isEmpty else {
            if available.isEmpty { throw PruningError.noLayers }
            return available
        }
        var chosen = Set<Int>()
        for name in names {
            guard let index = available.firstIndex(where: { $0.name == name || $0.name == name + ".weight" }) else {
                throw PruningError.unknownLayer(name, available: available.map { layerName(of: $0.name) })
            }
            if !chosen.insert(index).inserted { throw PruningError.duplicateLayer(name) }
        }
        return available.indices.filter(chosen.contains).map { available[$0] }
    }

    /// `fc1` for `fc1.weight`.
    public static func layerName(of tensorName: String) -> String {
        tensorName.hasSuffix(".weight") ? String(tensorName.dropLast(".weight".count)) : tensorName
    }
}
