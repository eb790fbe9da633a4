import Foundation
import SlimLab

/// `lesson export PATH`: a Markdown transcript of what ran in the open lesson — its cells with
/// their output, the learner's own commands, and how each exercise ended — to review or hand in.
struct LessonExportCommand: LessonControlCommand {
    static let path = Positional<String>("PATH", kind: .name([.path]), summary: "the Markdown file to write")
    static let configuration = CommandConfiguration(
        name: "export", summary: "write a Markdown transcript of what you ran in the lesson, with the exercise results",
        arguments: [path], examples: ["lesson export lesson02.md"])

    let path: String
    init(arguments: ParsedArguments) throws { path = try arguments.value(Self.path) }

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        let text = LessonTranscript.markdown(of: player)
        try AtomicFile.write(text, to: URL(fileURLWithPath: path))
        context.print("wrote \(path): \(player.cellsDone) cells, \(player.solvedCount) of \(player.exerciseCount) exercises solved")
    }
}

/// The Markdown of `lesson export`.
enum LessonTranscript {
    static func markdown(of player: LessonPlayer) -> String {
        var lines = ["# \(player.heading)", ""]
        lines.append("\(player.cellsDone) of \(player.cellCount) cells run; \(player.solvedCount) of \(player.exerciseCount) exercises solved.")
        var learnerLines: [String] = []
        func flushLearner() {
            guard !learnerLines.isEmpty else { return }
            lines += ["", "Your own commands:", "", "```slimlab"] + learnerLines + ["```"]
            learnerLines = []
        }
        for entry in player.log {
            switch entry.kind {
            case .learner:
                learnerLines += entry.lines
            case let .cell(number):
                flushLearner()
                lines += ["", "## Cell \(number)", "", "```output"] + entry.output + ["```"]
            case let .exercise(number, result):
                flushLearner()
                let task = player.lesson.exercises.first { $0.number == number }?.task ?? ""
                lines += ["", "## Exercise \(number): \(result == .solved ? "solved ✓" : "skipped")", "", task]
            }
        }
        flushLearner()
        let open = player.lesson.exercises.filter { player.results[$0.number] == nil }
        if !open.isEmpty {
            lines += ["", "Not done yet: " + open.map { "exercise \($0.number)" }.joined(separator: ", ") + "."]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
