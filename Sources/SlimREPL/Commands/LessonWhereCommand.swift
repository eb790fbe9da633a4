/// `lesson where`: which lesson is open and what comes next.
struct LessonWhereCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "where", summary: "say which lesson is open and what comes next",
        examples: ["lesson where"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        switch player.nextStep {
        case let .cell(cell)?:
            context.print("\(player.heading): cell \(cell.number) of \(player.cellCount) is next: "
                          + cell.commands.joined(separator: "; "))
        case let .exercise(exercise)?:
            context.print(lines: TextWrapping.wrap("\(player.heading): exercise \(exercise.number) of \(player.exerciseCount)"
                + (player.currentExerciseIsDone ? " is done; `next` goes on." : ": \(exercise.task)"), width: min(context.width, 100)))
        case nil:
            context.print("\(player.heading): all \(player.cellCount) cells done, \(player.solvedCount) of \(player.exerciseCount) exercises solved.")
        }
    }
}
