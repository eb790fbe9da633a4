/// `next`: run the open lesson's next cell, or go on after an exercise, then show what follows.
struct LessonNextCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "next", aliases: ["n"], topic: .lessons,
        summary: "run the open lesson's next cell, or go on after an exercise (Enter on an empty line does too)",
        examples: ["next"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        switch player.nextStep {
        case let .cell(cell)?:
            _ = context.playNextCell(cell, of: player)
        case let .exercise(exercise)?:
            guard player.currentExerciseIsDone else {
                context.print(lines: TextWrapping.wrap("Exercise \(exercise.number) of \(player.exerciseCount) is not solved yet: "
                                                       + exercise.task, width: min(context.width, 100)))
                context.print(context.style("`hint` gives a hint, `answer` shows the answer"
                                            + (exercise.skipAllowed ? ", `skip` runs it for you." : "."), .dim))
                return
            }
            player.leaveExercise()
            player.saveProgress()
            context.showLessonStop(player)
        case nil:
            context.showLessonStop(player)
        }
    }
}
