/// `answer [VALUE]`: give your answer to the exercise's question, or, without a value, see
/// the canonical answer.
struct LessonAnswerCommand: LessonControlCommand {
    static let value = Positional<String>("VALUE", arity: .optional, summary: "your answer: a number or a word")
    static let configuration = CommandConfiguration(
        name: "answer", topic: .lessons,
        summary: "answer the lesson's exercise (`answer 0.42`), or show its answer",
        discussion: "Without a value it shows the commands of the answer; `skip` runs them for you.",
        arguments: [value], examples: ["answer 0.0301", "answer"])

    let value: String?
    init(arguments: ParsedArguments) throws { value = try arguments.optionalValue(Self.value) }

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard let exercise = player.currentExercise else { throw LessonCommandError.noExercise }
        if let value {
            player.typedAnswer(value, in: context)
            return
        }
        context.print("The answer to exercise \(exercise.number):")
        for line in exercise.answer { context.print("  " + context.style(line, .accent)) }
        if exercise.skipAllowed { context.print(context.style("`skip` runs it; any other way that passes the checks counts as solved.", .dim)) }
    }
}
