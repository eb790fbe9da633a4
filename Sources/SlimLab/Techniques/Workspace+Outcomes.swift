/// The steps of each technique stay with the variant they made, so that a learner who ran
/// `detail=brief` — or a lesson that shows a long technique a few steps at a time — can read
/// them afterwards with `steps VARIANT`.
extension Workspace {
    /// Keeps `outcome` with the variant it made (or fine-tuned in place) and returns it. Every
    /// technique's entry ends with this. The technique's own numbers (`record`, which may hold
    /// a whole model) are not kept: the steps and the summary are what is shown again.
    func keep(_ outcome: TechniqueOutcome) -> TechniqueOutcome {
        var kept = outcome
        kept.record = .none
        try? variants.update(outcome.variant) { $0.madeBy = kept }
        return outcome
    }

    /// The steps of the technique that made variant `name` (the current one when nil).
    /// - Throws: `TechniqueOutcomeError.notMadeByATechnique` for a variant that is new,
    ///   loaded, copied or only trained.
    public func outcome(of name: String?) throws -> TechniqueOutcome {
        let variant = try variants.variant(named: name)
        guard let outcome = variant.madeBy else {
            throw TechniqueOutcomeError.notMadeByATechnique(variant.name, origin: variant.origin)
        }
        return outcome
    }
}

/// Why there are no steps to show again.
public enum TechniqueOutcomeError: Error, CustomStringConvertible, Equatable {
    case notMadeByATechnique(String, origin: String)
    case stepOutOfRange(variant: String, requested: ClosedRange<Int>, count: Int)

    public var description: String {
        switch self {
        case let .notMadeByATechnique(name, origin):
            return "\(name) was not made by a technique in this session (\(origin)); 'steps' shows the steps of "
                + "prune, finetune, quantize, qat, distill, cluster and compress deep"
        case let .stepOutOfRange(variant, _, 0):
            return "the technique that made \(variant) has no numbered steps; 'steps \(variant)' shows its result"
        case let .stepOutOfRange(variant, requested, count):
            let asked = requested.count == 1 ? "step \(requested.lowerBound)" : "steps \(requested.lowerBound)-\(requested.upperBound)"
            return "\(asked) of \(variant): the technique that made it has \(count) step\(count == 1 ? "" : "s") (1-\(count))"
        }
    }
}
