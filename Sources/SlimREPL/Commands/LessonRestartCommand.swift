/// `lesson restart`: start the open lesson over; your own models stay.
struct LessonRestartCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "restart", summary: "start the open lesson over (your own models stay)",
        examples: ["lesson restart"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        player.rewind(in: context)
        player.saveProgress()
        context.print(context.style(player.heading, .heading) + context.style("  (from the start)", .dim))
        context.showLessonStop(player)
    }
}
