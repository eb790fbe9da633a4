/// The options every technique shares, declared once so that every command names them the
/// same way:
///
/// - `from=VARIANT`: the variant a technique reads (the current model when absent). Inspection
///   commands (`show`, `eval`, `bench`, `model summary`, …) take the variant as a positional
///   word instead; `distill` reads its teacher as `teacher=`.
/// - `as=NAME`: the new variant's name, checked valid and free before the command runs.
/// - `detail=full|brief`: every step, or only the title, the result and the summary lines.
///
/// No technique changes the current model: each adds its result beside it and says so.
extension Option where Value == String {
    /// `from=VARIANT`, checked to name a variant of the session.
    static func source(_ summary: String) -> Option<String> {
        Option("from", defaultDescription: "the current model", kind: .name([.variant]),
               summary: summary + " (it is not changed)")
    }

    /// `as=NAME`, checked to be a valid, free variant name (`NameKind.newVariant`).
    static func newVariant(_ defaultDescription: String, summary: String = "the new variant's name") -> Option<String> {
        Option("as", defaultDescription: defaultDescription, kind: .name([.newVariant]), placeholder: "NAME",
               summary: summary)
    }
}

extension Option where Value == TechniqueDetail {
    /// `detail=full|brief`, how much of the technique's outcome to print.
    static var detail: Option<TechniqueDetail> {
        Option("detail", default: .full, summary: "full: every step; brief: the title, the result and the summary")
    }
}
