/// `lesson goto N`: jump to cell N of the open lesson, running the cells before it quietly.
struct LessonGotoCommand: LessonControlCommand {
    static let cell = Positional<Int>("CELL", in: 1...999, summary: "the cell to stop before")
    static let configuration = CommandConfiguration(
        name: "goto", summary: "go to cell N of the open lesson (the cells before it run again quietly)",
        arguments: [cell], examples: ["lesson goto 4"])

    let cell: Int
    init(arguments: ParsedArguments) throws { cell = try arguments.value(Self.cell) }

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard let target = player.stepIndex(ofCell: cell) else {
            throw LessonCommandError.noSuchCell(cell, count: player.cellCount)
        }
        if target < player.position { player.rewind(in: context) }
        if target > player.position {
            context.print(context.style("running the cells before cell \(cell) quietly…", .dim))
        }
        if let failure = player.catchUp(to: target, in: context) {
            throw LessonCommandError.cellFailed(failure.cell, failure.error)
        }
        player.saveProgress()
        context.showLessonStop(player)
    }
}
