/// `lesson close`: leave the lesson and get your own workspace back.
struct LessonCloseCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "close", summary: "close the open lesson and return to your own workspace",
        examples: ["lesson close"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        player.saveProgress()
        context.lesson = nil
        let seed = context.workspace.seed
        context.workspace = player.setAside ?? context.freshLessonWorkspace(seed: seed)
        let state = player.isFinished ? "finished" : "closed at cell \(player.position + 1) of \(player.cellCount)"
        context.print("\(player.heading): \(state). "
                      + (player.setAside != nil ? "Your own workspace is back." : "You are in an empty workspace."))
    }
}
