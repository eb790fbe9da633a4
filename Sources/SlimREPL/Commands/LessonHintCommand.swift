/// `hint`: the next hint of the exercise at hand, one at a time.
struct LessonHintCommand: LessonControlCommand {
    static let configuration = CommandConfiguration(
        name: "hint", topic: .lessons, summary: "show the next hint of the lesson's exercise",
        examples: ["hint"])

    init(arguments: ParsedArguments) throws {}

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        guard let hint = player.nextHint() else { throw LessonCommandError.noExercise }
        let label = "hint \(hint.number)/\(hint.count):"
        var lines = TextWrapping.wrap(label + " " + hint.text, width: min(context.width, 100))
        if let first = lines.first, first.hasPrefix(label) {
            lines[0] = context.style(label, .accent) + first.dropFirst(label.count)
        }
        context.print(lines: lines)
        if hint.number == hint.count {
            context.print(context.style("That was the last hint; `answer` shows the answer.", .dim))
        }
    }
}
