/// `hint`: the next hint of the exercise at hand, one at a time.
struct LessonHintCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "hint", topic: .lessons, summary: "show the next hint of the lesson's exercise",
        examples: ["hint"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard let hint = player.nextHint() else { throw LessonCommandError.noExercise }
        context.print(context.style("hint \(hint.number)/\(hint.count):", .accent) + " " + hint.text)
        if hint.number == hint.count {
            context.print(context.style("That was the last hint; `answer` shows the answer.", .dim))
        }
    }
}
