extension Workspace {
    /// `formula TOPIC`: the sheet with the session's numbers — the last trace (and the model
    /// it ran through), the current variant (its weights and last update), the last
    /// distillation's sample.
    public func formulaSheet(_ topic: FormulaTopic) -> FormulaSheet {
        let current = try? variants.variant()
        let traced = lastTrace.flatMap { trace in try? variants.variant(named: trace.variantName).model }
        return FormulaSheet.make(topic, inputs: FormulaInputs(
            trace: traced == nil ? nil : lastTrace, tracedModel: traced, model: current?.model, modelName: current?.name,
            update: current?.lastUpdate, distillation: lastDistillation))
    }
}
