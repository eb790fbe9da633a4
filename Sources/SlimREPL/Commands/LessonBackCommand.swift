/// `back [N]`: show a cell that ran again — what it printed this time, marked where it differs
/// from the lesson's recording — without running anything.
struct LessonBackCommand: LessonControlCommand {
    static let cell = Positional<Int>("CELL", arity: .optional, in: 1...999, summary: "the cell to show (the last one that ran by default)")
    static let configuration = CommandConfiguration(
        name: "back", topic: .lessons,
        summary: "show a cell of the open lesson again, as it ran (nothing is re-run)",
        arguments: [cell], examples: ["back", "back 2"])

    let cell: Int?
    init(arguments: ParsedArguments) throws { cell = try arguments.optionalValue(Self.cell) }

    func run(in context: CommandContext) throws {
        let player = try context.requireOpenLesson()
        let ran = player.log.compactMap { entry -> (Int, [String])? in
            if case let .cell(number) = entry.kind { return (number, entry.output) }
            return nil
        }
        guard let number = cell ?? ran.last?.0 else {
            context.print("No cell has run yet; `next` runs cell 1.")
            return
        }
        guard let lessonCell = player.lesson.cells.first(where: { $0.number == number }) else {
            throw LessonCommandError.noSuchCell(number, count: player.cellCount)
        }
        guard let output = ran.last(where: { $0.0 == number })?.1 else {
            context.print("Cell \(number) has not run yet; `lesson goto \(number)` goes there.")
            return
        }
        let recorded = lessonCell.expectedOutput ?? []
        let comparison = OutputComparison(tolerance: player.lesson.settings.tolerance)
        let hunks = UnifiedDiff.hunks(old: recorded, new: output, oldStart: 1, equal: comparison.matches)
        context.print(context.style("── cell \(number)/\(player.cellCount), as it ran", .dim))
        for line in output { context.print(line) }
        if hunks.isEmpty {
            context.print(context.style("── the same as the lesson's recording", .dim))
        } else {
            context.print(context.style("── it differs from the lesson's recording (− recorded, + as it ran):", .warning))
            for line in hunks { context.print("   " + line) }
        }
        let next: String
        switch player.nextStep {
        case let .cell(cell)?: next = "`next` goes on with cell \(cell.number)"
        case let .exercise(exercise)?: next = "you are at exercise \(exercise.number)"
        case nil: next = "the lesson is finished"
        }
        context.print(context.style("── \(next)", .dim))
    }
}
