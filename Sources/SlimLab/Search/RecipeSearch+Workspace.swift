import SlimKernels

/// What `search` found and made.
public struct SearchReport: Sendable {
    public var source: String
    /// The new variant's name.
    public var variant: String
    public var options: SearchOptions
    public var outcome: RecipeSearch.Outcome
    /// How the validation set was made, and its size.
    public var validationSource: String
    public var validationRows: Int
    /// The training rows fine-tuning would use (the training split less the validation rows).
    public var tuningRows: Int
    /// Test accuracy of the float model, the variant made, the search's own result (the same
    /// model unless the uniform recipe was kept) and the uniform recipe (reported only; the
    /// search never looked at the test set).
    public var floatTestAccuracy: Double
    public var testAccuracy: Double
    public var searchedTestAccuracy: Double
    public var uniformTestAccuracy: Double?

    /// Validation accuracy lost against the float model, in points.
    public var drop: Double { (outcome.start.validationAccuracy - outcome.best.validationAccuracy) * 100 }
    public var meetsBudget: Bool { outcome.best.bytes <= outcome.budgetBytes }
    public var withinDrop: Bool { drop <= options.maxDrop + 1e-9 }
}

extension Workspace {
    /// Searches a per-layer compression of variant `source` (current when nil) within the
    /// budget, judged on a validation set held out from the training split, and adds the best
    /// recipe as variant `name` (default `SOURCE-search`); the current model stays current.
    ///
    /// The validation set is the loaded data's validation part (`data load … val=0.1`), rows
    /// held out of the training split (so never trained on, unless the model was trained
    /// before the data was split so). Without one, the search holds out its own stratified share
    /// of the training split (seeded with the session seed) and says so: a model trained on
    /// the whole training split has seen those rows, so their accuracy reads high (often
    /// 100 %); the validation loss still shows how much each step costs, which is why the
    /// search ranks steps by it.
    public func search(_ source: String? = nil, options: SearchOptions, name: String? = nil) throws -> SearchReport {
        let variant = try variants.variant(named: source)
        guard let data else { throw SearchDataError.noData }
        try variant.model.checkCompatible(with: data.train)
        let validation: Dataset, tuning: Dataset, validationSource: String
        if let held = data.validation, held.count > 0 {
            (validation, tuning) = (held, data.train)
            // What the split says; whether the model saw these rows depends on what it was
            // trained on (the whole training data, before a `val=` split, would have).
            validationSource = "the data's validation part (val=\(data.validationFraction ?? 0): held out of the training split)"
        } else {
            let held = try data.train.split(testFraction: options.validationFraction, seed: seed, normalization: .none)
            (validation, tuning) = (held.test, held.train)
            validationSource = "\(Self.percent(options.validationFraction)) of the training split, stratified, seed \(seed) "
                + "(rows a model trained on this data has seen; 'data load … val=0.1' holds rows out before training)"
        }
        let newName = name ?? variants.uniqueName("\(variant.name)-search")
        if name != nil, variants.names.contains(newName) { throw VariantError.nameTaken(newName) }
        if !VariantTable.isValidName(newName) { throw VariantError.invalidName(newName) }

        // Fine-tuning, when needed: the result and the uniform recipe, each up to `finetune` epochs.
        try checkTrainingWork(variant.model, rows: tuning.count, evaluationRows: validation.count,
                              epochs: 2 * options.fineTuneEpochs, what: "search finetune=\(options.fineTuneEpochs)")
        var search = RecipeSearch(model: variant.model, validation: validation, tuning: tuning, options: options,
                                  pool: pool, seed: seed, stop: stop)
        let outcome = try search.run()
        let model = outcome.model
        // Each model evaluated once: the one made is the search's own or, when kept, the uniform one.
        let uniformTest = try outcome.uniformModel.map { try $0.accuracy(on: data.test, pool: pool) }
        let searchedTest = try outcome.searchedModel.accuracy(on: data.test, pool: pool)
        let report = SearchReport(
            source: variant.name, variant: newName, options: options, outcome: outcome,
            validationSource: validationSource,
            validationRows: validation.count, tuningRows: tuning.count,
            floatTestAccuracy: try variant.model.accuracy(on: data.test, pool: pool),
            testAccuracy: outcome.keptUniform ? uniformTest ?? searchedTest : searchedTest,
            searchedTestAccuracy: searchedTest, uniformTestAccuracy: uniformTest)
        try variants.add(Variant(name: newName, model: model, origin: "search of \(variant.name): \(outcome.best.recipe.label)",
                                 parent: variant.name), makeCurrent: false)
        return report
    }
}

private extension Workspace {
    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
}

/// `search` needs data.
public enum SearchDataError: Error, CustomStringConvertible, Equatable {
    case noData
    public var description: String { "search needs data to validate on; load some with 'data load digits' first" }
}
