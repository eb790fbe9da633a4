import SlimLab

/// A step number or a range of them, as typed: `3` or `2-4`.
struct StepRange: ArgumentValue, Equatable {
    var steps: ClosedRange<Int>

    init(_ steps: ClosedRange<Int>) { self.steps = steps }

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let first = Int(parts[0]), let last = Int(parts[parts.count - 1]),
              first >= 1, first <= last else { return nil }
        steps = first...last
    }

    static var valueKind: ValueKind { .quantity(placeholder: "N|N-M", expectation: "a step number or a range of them (2-4)") }
    var argumentText: String { steps.count == 1 ? String(steps.lowerBound) : "\(steps.lowerBound)-\(steps.upperBound)" }
}

/// `steps VARIANT [N|N-M]`: the steps of the technique that made a variant, again.
struct StepsCommand: REPLCommand {
    static let variant = Positional<String>("VARIANT", kind: .name([.variant]),
                                            summary: "a model made by a technique in this session")
    static let range = Positional<StepRange>("STEPS", arity: .optional, defaultDescription: "every step",
                                             summary: "which steps: one (3) or a range (2-4)")

    static let configuration = CommandConfiguration(
        name: "steps", topic: .inspection,
        summary: "show again the steps of the technique that made a model",
        discussion: """
            Every technique (prune, finetune, quantize, qat, distill, cluster, compress deep) \
            keeps its steps with the model it made, for this session. After a run with \
            detail=brief, or to read a long run a few steps at a time, 'steps p80' prints \
            them all and 'steps p80 4-5' only those; the closing summary comes with the \
            last step.
            """,
        arguments: [variant, range],
        examples: ["steps p80", "steps p80 3", "steps int8 2-4"])

    let variant: String
    let range: StepRange?

    init(arguments: ParsedArguments) throws {
        variant = try arguments.value(Self.variant)
        range = try arguments.optionalValue(Self.range)
    }

    func validate(in context: CommandContext) throws {
        try context.requireName(variant, .variant)
        let outcome = try context.workspace.outcome(of: variant)
        if let range, range.steps.upperBound > outcome.steps.count {
            throw TechniqueOutcomeError.stepOutOfRange(variant: variant, requested: range.steps, count: outcome.steps.count)
        }
    }

    func run(in context: CommandContext) throws {
        let outcome = try context.workspace.outcome(of: variant)
        try TechniqueRenderer(context: context).render(outcome, steps: range?.steps)
    }
}
