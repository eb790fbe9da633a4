/// `lesson close`: leave the lesson and get your own workspace and settings back.
struct LessonCloseCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "close", summary: "close the open lesson and return to your own workspace and settings",
        examples: ["lesson close"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        player.saveProgress()
        context.lesson = nil
        context.workspace = player.setAside.workspace
        context.settings = player.setAside.settings
        let own = player.setAside.workspace
        let state = player.isFinished ? "finished" : "closed at step \(player.position + 1) of \(player.steps.count)"
        context.print("\(player.heading): \(state). "
                      + (own.data != nil || !own.variants.names.isEmpty ? "Your own workspace is back." : "You are back in your own (empty) workspace."))
    }
}
