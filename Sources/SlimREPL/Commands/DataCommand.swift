import SlimLab

/// `data load|info|show`: the session's dataset.
enum DataCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "data", topic: .data, summary: "load a dataset, describe it, show a sample",
        discussion: """
            One dataset is loaded at a time, split into a training part and a test part (stratified, \
            seeded) and normalized with statistics of the training part only.
            """,
        subcommands: [DataLoadCommand.self, DataInfoCommand.self, DataShowCommand.self],
        examples: ["data load digits", "data info", "data show 0"])
}

extension Normalization.Method: ArgumentValue {}
