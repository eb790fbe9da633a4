/// `back`: show the previous cell again — its prose, commands and recorded output — without
/// running anything, so the workspace stays as it is.
struct LessonBackCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "back", topic: .lessons,
        summary: "show the previous cell of the open lesson again (nothing is re-run)",
        examples: ["back"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard player.position > 0 else {
            context.print("You are at the start of the lesson; `next` runs cell 1.")
            return
        }
        let index = player.position - 1
        let cell = player.lesson.cells[index]
        let prose = player.lesson.prose(before: index)
        if !prose.isEmpty {
            context.print(lines: LessonProse.render(prose, width: min(context.width, 100), style: context.style))
            context.print()
        }
        context.print(context.style("── cell \(cell.number)/\(player.cellCount), as recorded in the lesson", .dim))
        for line in cell.expectedOutput ?? cell.commands.map({ "slimlab> " + $0 }) {
            context.print(line)
        }
        context.print(context.style("── `next` goes on with cell \(player.position + 1 > player.cellCount ? player.cellCount : player.position + 1)", .dim))
    }
}
