import Foundation

/// How a target sparsity is reached: at once, or in steps with fine-tuning in between.
public enum PruningScheduleKind: String, CaseIterable, Sendable {
    /// Prune once to the target (fine-tune afterwards with `finetune`).
    case oneshot
    /// K rounds of prune-then-finetune, each removing the same fraction of the weights still
    /// alive (Han et al., 2015; Frankle & Carbin, 2019).
    case iterative
    /// K steps on the cubic schedule of Zhu & Gupta (2017), TF-MOT's `PolynomialDecay`:
    /// fast at first, when many redundant weights remain, then slower near the target.
    case gradual
}

/// The sparsity targets of a schedule, one per pruning step, as a table.
///
/// Time t is counted in epochs of fine-tuning: the trained model stands at t₀ = 0 with sparsity
/// s_i; step j prunes to s_t at t = j·Δt and is followed by Δt epochs of fine-tuning. Without
/// fine-tuning (Δt = 0) time is counted in steps instead (t = j, Δt = 1 in the formula).
public struct SparsitySchedule: Sendable, Equatable {
    /// One pruning step.
    public struct Step: Sendable, Equatable {
        /// j, counting from 1.
        public var index: Int
        /// t = j·Δt, the time of the step (epochs, or steps without fine-tuning).
        public var time: Int
        /// s_t, the sparsity the step prunes to.
        public var sparsity: Double
        /// The schedule's formula with this step's numbers.
        public var formula: Formula
    }

    public var kind: PruningScheduleKind
    /// s_i, the sparsity before the first step.
    public var initial: Double
    /// s_f, the target.
    public var final: Double
    /// Δt, the fine-tuning epochs after each step (0 for one shot).
    public var epochsPerStep: Int
    /// The steps in order; the last one reaches s_f.
    public var steps: [Step]

    /// The gradual (cubic) schedule's rule in symbols (Zhu & Gupta, 2017).
    public static let gradualRule = "s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³"
    /// The iterative schedule's rule in symbols: each step keeps the same share of the weights.
    public static let iterativeRule = "s_j = 1 − (1 − s_i)·((1 − s_f)/(1 − s_i))^(j/K)"

    /// The schedule of `kind` from `initial` to `final` in `steps` steps, `epochsPerStep` epochs
    /// of fine-tuning after each. One shot has a single step whatever `steps` says.
    public init(kind: PruningScheduleKind, initial: Double = 0, final: Double, steps: Int, epochsPerStep: Int) throws {
        try MagnitudePruning.validate(sparsity: final)
        guard initial.isFinite, initial >= 0, initial < 1 else { throw PruningError.sparsityOutOfRange(initial) }
        guard initial <= final else { throw PruningError.scheduleDecreasing(initial: initial, final: final) }
        guard steps >= 1 else { throw PruningError.stepsOutOfRange(steps) }
        self.kind = kind
        self.initial = initial
        self.final = final
        self.epochsPerStep = max(0, epochsPerStep)
        let dt = max(1, self.epochsPerStep)
        switch kind {
        case .oneshot:
            self.steps = [Step(index: 1, time: 0, sparsity: final,
                               formula: Formula(symbol: "s", symbolic: "s_f", template: "{0}",
                                                values: [.real(final)], result: .real(final)))]
        case .iterative:
            self.steps = (1...steps).map { j in
                let s = SparsitySchedule.geometric(initial: initial, final: final, step: j, steps: steps)
                return Step(index: j, time: j * dt, sparsity: s, formula: Formula(
                    symbol: "s_\(j)", symbolic: "1 − (1 − s_i)·((1 − s_f)/(1 − s_i))^(j/K)",
                    template: "1 − (1 − {0})·((1 − {1})/(1 − {0}))^({2}/{3})",
                    values: [.real(initial), .real(final), .integer(j), .integer(steps)], result: .real(s)))
            }
        case .gradual:
            self.steps = (1...steps).map { j in
                let t = j * dt
                let s = SparsitySchedule.polynomial(initial: initial, final: final, t: Double(t), t0: 0,
                                                    n: steps, dt: Double(dt))
                return Step(index: j, time: t, sparsity: s, formula: Formula(
                    symbol: "s_\(t)", symbolic: "s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³",
                    template: "{0} + ({1} − {0})·(1 − ({2} − 0)/({3}·{4}))³",
                    values: [.real(final), .real(initial), .integer(t), .integer(steps), .integer(dt)],
                    result: .real(s)))
            }
        }
    }

    /// s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³, for t in [t₀, t₀ + n·Δt] (Zhu & Gupta,
    /// 2017). Before t₀ it is s_i, after t₀ + n·Δt it is s_f.
    public static func polynomial(initial: Double, final: Double, t: Double, t0: Double, n: Int, dt: Double) -> Double {
        precondition(n >= 1 && dt > 0, "polynomial: needs n ≥ 1 and Δt > 0, got n=\(n), Δt=\(dt)")
        let progress = (t - t0) / (Double(n) * dt)
        if progress <= 0 { return initial }
        if progress >= 1 { return final }
        let remaining = 1 - progress
        return final + (initial - final) * remaining * remaining * remaining
    }

    /// s_j = 1 − (1 − s_i)·((1 − s_f)/(1 − s_i))^(j/K): every step keeps the same fraction of
    /// the surviving weights, so step K keeps exactly 1 − s_f of them.
    public static func geometric(initial: Double, final: Double, step j: Int, steps: Int) -> Double {
        if j >= steps { return final }
        let keep = (1 - initial) * pow((1 - final) / (1 - initial), Double(j) / Double(steps))
        return 1 - keep
    }
}
