import SlimLab

/// `session save|load`: the whole workspace in a folder.
enum SessionCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "session", topic: .session, summary: "save the whole session to a folder, or load one",
        discussion: """
            A session folder holds every variant as a model file (in its stored form: codes, CSR, \
            blocks) and session.json: the current model, the baseline, each variant's origin, \
            parent and training runs, the seed, and how the dataset was loaded, so that `session \
            load` reloads it with the same split and `compare` prints the same table.
            """,
        subcommands: [SessionSaveCommand.self, SessionLoadCommand.self],
        examples: ["session save lab1", "session load lab1"])
}
