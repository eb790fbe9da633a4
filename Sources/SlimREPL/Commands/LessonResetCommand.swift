/// `lesson reset N`: forget your progress in one lesson.
struct LessonResetCommand: LessonControlCommand {
    static let name = Positional<String>("LESSON", kind: .name([.lesson]), summary: "a lesson's number or name")
    static let configuration = CommandConfiguration(
        name: "reset", summary: "forget your progress in a lesson (cells done, exercises solved)",
        arguments: [name], examples: ["lesson reset 2"])

    let name: String
    init(arguments: ParsedArguments) throws { name = try arguments.value(Self.name) }

    func run(in context: CommandContext) throws {
        let file = try LessonLibrary.shipped().resolve(name)
        let lesson = try LessonLibrary.load(file)
        var progress = context.loadProgress()
        let had = progress.entries.removeValue(forKey: lesson.slug) != nil
        try progress.save()
        let heading = "Lesson \(String(format: "%02d", lesson.number)) · \(lesson.title)"
        context.print(had ? "\(heading): progress forgotten." : "\(heading): there was no progress to forget.")
        if context.lesson?.lesson.slug == lesson.slug {
            context.print(context.style("It is still open; `lesson restart` starts it over.", .dim))
        }
    }
}
