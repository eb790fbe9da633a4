/// `next`: run the open lesson's next cell, then show what follows.
struct LessonNextCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "next", aliases: ["n"], topic: .lessons,
        summary: "run the open lesson's next cell (Enter on an empty line does too)",
        examples: ["next"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard let cell = player.nextCell, let session = context.session else {
            context.showLessonStop(player)
            return
        }
        context.print(context.style("── cell \(cell.number)/\(player.cellCount)", .dim))
        // Every command runs, as in the recorded output: some cells show errors on purpose.
        for command in cell.commands {
            if session.executeEchoed(command) == .quit {
                context.requestQuit()
                return
            }
        }
        player.advance()
        player.saveProgress()
        context.showLessonStop(player)
    }
}
