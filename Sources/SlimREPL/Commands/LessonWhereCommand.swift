/// `lesson where`: which lesson is open and which cell comes next.
struct LessonWhereCommand: REPLCommand {
    static let configuration = CommandConfiguration(
        name: "where", summary: "say which lesson is open and which cell comes next",
        examples: ["lesson where"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        if let cell = player.nextCell {
            context.print("\(player.heading): cell \(cell.number) of \(player.cellCount) is next: "
                          + cell.commands.joined(separator: "; "))
        } else {
            context.print("\(player.heading): all \(player.cellCount) cells done.")
        }
    }
}
