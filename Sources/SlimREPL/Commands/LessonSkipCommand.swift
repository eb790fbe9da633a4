/// `skip`: run the exercise's answer for you, so the lesson goes on with what it expects.
struct LessonSkipCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "skip", topic: .lessons,
        summary: "run the answer of the lesson's exercise for you and go on (it counts as skipped)",
        examples: ["skip"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard let exercise = player.currentExercise else { throw LessonCommandError.noExercise }
        guard exercise.skipAllowed else { throw LessonCommandError.skipOff(exercise.number) }
        guard player.skip(in: context) else {
            throw LessonCommandError.answerFailed(exercise.number)
        }
        context.print(context.style("exercise \(exercise.number) of \(player.exerciseCount) skipped", .dim))
        player.leaveExercise()
        player.saveProgress()
        context.showLessonStop(player)
    }
}
