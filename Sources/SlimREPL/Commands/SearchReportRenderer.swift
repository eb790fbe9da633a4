import SlimLab

/// Prints a `SearchReport`: the budget, the trace, and the result beside the uniform recipe.
struct SearchReportRenderer {
    let context: CommandContext

    func render(_ report: SearchReport) {
        let options = report.options, outcome = report.outcome
        let budget = NumberFormatting.bytes(outcome.budgetBytes)
        var budgetText = "budget \(budget)"
        if case let .preset(preset) = options.budget { budgetText += " (\(preset.rawValue): \(preset.summary))" }
        context.print(context.style("search \(report.source) → \(report.variant): \(budgetText)", .bold))
        context.print("\(options.strategy.rawValue) over \(options.dimensions.map(\.rawValue).joined(separator: ", ")), "
                      + "max-drop \(NumberFormatting.fixed(options.maxDrop, digits: 1)) points")
        context.printWrapped("validation: \(NumberFormatting.grouped(report.validationRows)) rows, \(report.validationSource)")
        let rows = outcome.trace.map { step in
            [String(step.round), step.layer ?? "—", step.move, NumberFormatting.bytes(step.bytes),
             NumberFormatting.percent(step.validationAccuracy), NumberFormatting.fixed(step.validationLoss, digits: 4)]
        }
        context.print(Table(["round", "layer", "move", "bytes", "val acc", "val loss"], rows: rows)
            .render(width: context.width, style: context.style))

        var table: [[String]] = [["fp32", NumberFormatting.bytes(outcome.start.bytes),
                                  NumberFormatting.percent(outcome.start.validationAccuracy),
                                  NumberFormatting.percent(report.floatTestAccuracy)]]
        table.append(["search", NumberFormatting.bytes(outcome.searched.bytes),
                      NumberFormatting.percent(outcome.searched.validationAccuracy),
                      NumberFormatting.percent(report.searchedTestAccuracy)])
        if let uniform = outcome.uniform {
            table.append(["uniform", NumberFormatting.bytes(uniform.bytes), NumberFormatting.percent(uniform.validationAccuracy),
                          report.uniformTestAccuracy.map { NumberFormatting.percent($0) } ?? "—"])
        }
        // ▸ marks the recipe that was made.
        context.print(Table(["recipe", "bytes", "val acc", "test acc"], rows: table, markedRow: outcome.keptUniform ? 2 : 1)
            .render(width: context.width, style: context.style))
        context.print("search:  \(outcome.searched.recipe.label)")
        if let uniform = outcome.uniform {
            context.print("uniform: \(uniform.recipe.settings.first?.label ?? "") everywhere")
        } else {
            context.print("uniform: no single setting fits \(budget)")
        }
        if outcome.tunedEpochs > 0 {
            let epochs = "\(outcome.tunedEpochs) epoch\(outcome.tunedEpochs == 1 ? "" : "s")"
            context.printWrapped("fine-tuned \(epochs) on \(NumberFormatting.grouped(report.tuningRows)) training rows "
                                 + "(masks kept, weights on the recipe's grids, adam lr=\(NumberFormatting.shortest(float: RecipeTuning.learningRate)))"
                                 + (outcome.uniform == nil ? "" : "; the uniform recipe as long"))
        }
        context.printWrapped("made \(report.variant); \(report.source) is unchanged ('model use \(report.variant)' switches)")
        if outcome.keptUniform { context.print("the uniform recipe did better on validation, so it was kept") }
        let drop = NumberFormatting.fixed(report.drop, digits: 2)
        switch (report.meetsBudget, report.withinDrop) {
        case (true, true):
            let change = report.drop < 0 ? "\(NumberFormatting.fixed(-report.drop, digits: 2)) points above" : "\(drop) points below"
            context.print("meets the budget, \(change) fp32 on validation (max-drop \(NumberFormatting.fixed(options.maxDrop, digits: 1)))")
        case (true, false):
            context.printWrapped("meets the budget, but loses \(drop) points on validation (max-drop \(NumberFormatting.fixed(options.maxDrop, digits: 1))); "
                                 + "more fine-tuning (finetune=), retraining (qat, distill) or a larger budget would help")
        case (false, _):
            context.print("cannot meet \(budget): the smallest recipe found takes \(NumberFormatting.bytes(outcome.best.bytes))")
        }
    }
}
