import SlimKernels

/// `formula l1|l2|prune|schedule`: pruning's rules, worked with the current model's weights
/// (norms, a threshold) or with a small example schedule.
extension FormulaSheet {
    static func pruningDefinitions(_ topic: FormulaTopic) -> [String] {
        switch topic {
        case .l1:
            return ["‖w‖₁ = Σᵢ |wᵢ|", "a neuron's: ‖w_j‖₁ = Σᵢ |w_ji| over its row of the weight"]
        case .l2:
            return ["‖w‖₂ = √(Σᵢ wᵢ²)", "a neuron's: ‖w_j‖₂ = √(Σᵢ w_ji²); large weights count more than in L1"]
        case .prune:
            return ["k = ⌊n·S⌋   (n weights, target sparsity S)", "τ = |w|₍ₖ₎, the k-th smallest |w|",
                    MagnitudePruning.maskDefinition + "   (ties at τ: pruned in index order until exactly k)",
                    MagnitudePruning.applyDefinition + "   (fine-tuning: g ← g ⊙ m, w ← w ⊙ m after each update)"]
        case .schedule:
            return ["gradual: \(SparsitySchedule.gradualRule)   (Zhu & Gupta 2017)",
                    "iterative: \(SparsitySchedule.iterativeRule)   (each step keeps the same share)",
                    "each step prunes to s_t, then fine-tunes Δt epochs"]
        default:
            return []
        }
    }

    /// The sheet with `model`'s numbers (norms, a global threshold at S = 0.8), or an example
    /// schedule (s_f = 0.9, 4 steps of 2 epochs).
    static func pruningSheet(_ topic: FormulaTopic, model: Model?) -> FormulaSheet {
        var sheet = FormulaSheet(topic: topic, definitions: pruningDefinitions(topic))
        if topic == .schedule {
            sheet.context = "an example: gradual pruning from 0 to s_f = 0.9 in n = 4 steps of Δt = 2 epochs"
            if let schedule = try? SparsitySchedule(kind: .gradual, final: 0.9, steps: 4, epochsPerStep: 2) {
                sheet.setWorked(schedule.steps.map(\.formula))
            }
            return sheet
        }
        guard let model, !model.prunableWeights.isEmpty else {
            sheet.hint = "make a model ('model new mlp 64-64-10') to see this rule with its weights"
            return sheet
        }
        let weights = model.prunableWeights
        switch topic {
        case .l1:
            sheet.context = "the weights of the current model"
            sheet.setWorked(weights.map(MagnitudePruning.l1Formula))
        case .l2:
            sheet.context = "the weights of the current model"
            sheet.setWorked(weights.map(MagnitudePruning.l2Formula))
        default:
            sheet.context = "an example: global magnitude pruning of the current model to S = 0.8"
            if let masks = try? MagnitudePruning.masks(for: weights, sparsity: 0.8, scope: .global),
               let threshold = masks.thresholds.first {
                sheet.setWorked([threshold.countFormula, threshold.pruneCountFormula] + (threshold.thresholdFormula.map { [$0] } ?? []))
            }
        }
        return sheet
    }
}
