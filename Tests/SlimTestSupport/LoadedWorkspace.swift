import SlimLab

extension Workspace {
    /// A workspace with `source` loaded as `data load SOURCE` loads it (standardized, split with
    /// seed 0), its recipe kept as `session save` needs it.
    public static func loading(_ source: String, testFraction: Double = 0.25, threads: Int = 1) throws -> Workspace {
        let recipe = DatasetRecipe(source: source, options: DatasetLoadOptions(), testFraction: testFraction, seed: 0,
                                   normalization: .standard)
        let workspace = Workspace(threads: threads)
        workspace.data = try recipe.load()
        workspace.dataRecipe = recipe
        return workspace
    }
}
