import SlimLab
import Synchronization

/// The digits data set and trained digits models, made once per test process and shared by
/// every test that needs them (training is the slow part of most tests).
///
/// Each model is a value: a test gets a fresh `Workspace` holding a copy, so what one test does
/// to it never reaches another.
public enum TrainedDigits {
    /// Digits, 25 % test, stratified with seed 0, standardized (what `data load digits` makes).
    public static func split() throws -> DatasetSplit {
        try cache.withLock { state in
            if let split = state.split { return split }
            let split = try DatasetCatalog.standard().load("digits").split(testFraction: 0.25, seed: 0)
            state.split = split
            return split
        }
    }

    /// A model of `architecture` made with seed 0 and trained `epochs` epochs with the
    /// session's default settings (seed 0), named `name`. Trained once per process for each
    /// architecture and number of epochs.
    public static func variant(_ architecture: String = "mlp 64-32-10", epochs: Int = 5,
                               name: String = "baseline") throws -> Variant {
        let key = "\(architecture)/\(epochs)"
        let data = try split()
        var variant = try cache.withLock { state -> Variant in
            if let model = state.models[key] { return model }
            let workspace = Workspace(threads: 1, seed: 0)
            workspace.data = data
            try workspace.newModel(architecture, name: "baseline")
            var options = workspace.trainingDefaults
            options.epochs = epochs
            try workspace.train("baseline", data: data, options: options)
            let model = try workspace.variants.variant(named: "baseline")
            state.models[key] = model
            return model
        }
        variant.name = name
        return variant
    }

    /// A fresh workspace (one thread, seed 0) with digits loaded and `variant(...)` as its
    /// only, current model.
    public static func workspace(_ architecture: String = "mlp 64-32-10", epochs: Int = 5,
                                 name: String = "baseline", threads: Int = 1) throws -> Workspace {
        let workspace = Workspace(threads: threads, seed: 0)
        workspace.data = try split()
        try workspace.variants.add(try variant(architecture, epochs: epochs, name: name))
        return workspace
    }

    private struct State {
        var split: DatasetSplit?
        var models: [String: Variant] = [:]
    }

    private static let cache = Mutex(State())
}
