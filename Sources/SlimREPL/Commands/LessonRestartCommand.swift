/// `lesson restart`: start the open lesson over in a fresh workspace.
struct LessonRestartCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "restart", summary: "start the open lesson over, in a fresh workspace",
        examples: ["lesson restart"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let old = try context.requireOpenLesson()
        context.workspace = context.freshLessonWorkspace(seed: old.lesson.settings.seed)
        let player = LessonPlayer(lesson: old.lesson, file: old.file, setAside: old.setAside)
        context.lesson = player
        player.saveProgress()
        context.print(context.style(player.heading, .heading) + context.style("  (from the start)", .dim))
        context.showLessonStop(player)
    }
}
