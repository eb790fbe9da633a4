import SlimLab

/// `model new|list|use|summary|save|load|copy|drop|baseline`: the session's variants.
enum ModelCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "model", topic: .model, summary: "build, list, inspect, save and load models (variants)",
        discussion: """
            Every model of the session is a named variant. Commands act on the current one unless \
            given a name; `compare` measures every variant against the baseline (the first trained \
            one, unless `model baseline N` says otherwise).
            """,
        subcommands: [ModelNewCommand.self, ModelListCommand.self, ModelUseCommand.self, ModelSummaryCommand.self,
                      ModelSaveCommand.self, ModelLoadCommand.self, ModelExportCommand.self, ModelCopyCommand.self, ModelDropCommand.self,
                      ModelBaselineCommand.self],
        examples: ["model new mlp 64-64-10 name=baseline", "model list", "model summary"])
}

extension Variant {
    /// `mlp 64-64-10 · 4,810 parameters · 18.8 KiB`, for one-line confirmations.
    var shortDescription: String {
        "\(model.architecture.specification) · \(NumberFormatting.grouped(model.parameterCount)) parameters · "
            + NumberFormatting.bytes(model.storedByteCount)
    }
}

extension ModelArchitecture.Family: ArgumentValue {}
