import SlimLab

extension CommandContext {
    /// Prints the prose before the next step (or the closing prose), then the next cell's
    /// commands or the next exercise's task, so the learner sees what comes.
    func showLessonStop(_ player: LessonPlayer) {
        let prose = player.lesson.prose(beforeStep: player.position)
        if !prose.isEmpty {
            print()
            print(lines: LessonProse.render(prose, width: min(width, 100), style: style))
        }
        print()
        switch player.nextStep {
        case let .cell(cell)?:
            print(style("── cell \(cell.number)/\(player.cellCount) ", .dim) + style("(Enter or `next` runs it)", .dim))
            for command in cell.commands {
                print("  " + style(command, .accent))
            }
        case let .exercise(exercise)?:
            showExercise(exercise, of: player)
        case nil:
            showLessonEnd(player)
        }
    }

    /// The task of an exercise and what the learner can do at it.
    func showExercise(_ exercise: LessonExercise, of player: LessonPlayer) {
        print(style("── exercise \(exercise.number)/\(player.exerciseCount) ", .heading)
              + style("(your turn: type commands of your own)", .dim))
        print(lines: TextWrapping.wrap(exercise.task, width: min(width, 100), indent: "  "))
        var ways = exercise.checks.contains(where: \.wantsTypedAnswer) ? ["`answer VALUE` gives your answer"] : []
        ways.append("`hint` gives a hint")
        ways.append("`answer` shows the answer")
        if exercise.skipAllowed { ways.append("`skip` runs it for you") }
        print(lines: TextWrapping.wrap(ways.joined(separator: ", ") + ".", width: min(width, 100), indent: "  ")
            .map { style($0, .dim) })
    }

    /// The lesson's last words: what was solved, and what comes next.
    func showLessonEnd(_ player: LessonPlayer) {
        var line = "✓ \(player.heading): lesson finished"
        if player.exerciseCount > 0 { line += " · \(player.solvedCount) of \(player.exerciseCount) exercises solved" }
        let next = (try? LessonLibrary.shipped())?.files()
            .map { $0.deletingPathExtension().lastPathComponent }
            .compactMap { Int($0.prefix(while: \.isNumber)) }
            .filter { $0 > player.lesson.number }.min()
        line += next.map { " · next: lesson open \($0)" } ?? ""
        print(style(line, .good))
        print(style("`lesson close` returns to your own workspace; `lesson export PATH` writes what you ran.", .dim))
    }

    /// Runs the next cell live and reports a failure the recording does not show; the lesson
    /// then stays at that cell. Returns false when the session should end (`quit`).
    func playNextCell(_ cell: LessonCell, of player: LessonPlayer) -> Bool {
        print(style("── cell \(cell.number)/\(player.cellCount)", .dim))
        let run = player.run(cell, in: self, live: true)
        if run.quit {
            requestQuit()
            return false
        }
        if let error = run.unexpectedError {
            print(style("── cell \(cell.number) stopped at an error its recording does not show:", .warning))
            print("   " + error)
            print(style("   The lesson stays at cell \(cell.number). `next` tries it again, `lesson restart` starts over, `lesson goto \(cell.number)` replays the cells before it.", .dim))
            return true
        }
        if cell.commands.contains(where: { $0.hasPrefix("compare") || $0.hasPrefix("model list") }) {
            let lessonNames = Set(player.own.variants.names)
            let mine = workspace.variants.names.filter { !lessonNames.contains($0) }
            if !mine.isEmpty {
                print(style("(the lesson's table leaves out your own models: \(mine.joined(separator: ", ")); `compare` now shows them all)", .dim))
            }
        }
        player.advance()
        player.saveProgress()
        showLessonStop(player)
        return true
    }
}
