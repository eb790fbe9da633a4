import Foundation
import XCTest
@testable import SlimREPL
import SlimLab

/// The lesson player in a live script-mode session: what a learner may and may not do
/// between cells, what closing gives back, exercises, navigation and progress.
final class LessonPlayerTests: XCTestCase {
    static let lessonsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")
    var home: URL!

    override func setUp() {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-player-\(getpid())-\(UUID().uuidString)")
        setenv("SLIMLAB_HOME", home.path, 1)
        setenv("SLIMLAB_LESSONS", Self.lessonsFolder.path, 1)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    /// A script-mode session and its output.
    func makeSession() -> (Session, CapturingSink) {
        let sink = CapturingSink()
        return (Session(workspace: Workspace(threads: 1), output: sink), sink)
    }

    /// Runs `lines`, returning each line's outcome and what it printed.
    @discardableResult
    func run(_ session: Session, _ sink: CapturingSink, _ lines: [String]) -> [(Session.Outcome?, String)] {
        lines.map { line in
            _ = sink.take()
            let outcome = session.executeEchoed(line)
            return (outcome, sink.take())
        }
    }

    func testNamesOfLaterCellsAreReservedAndTheLessonsModelsCannotBeDropped() {
        let (session, sink) = makeSession()
        run(session, sink, ["lesson open 2", "next"])
        let results = run(session, sink, ["model copy baseline p80-ft", "model drop baseline", "model copy baseline mine"])
        XCTAssertEqual(results[0].0, .failed("'p80-ft' is the name cell 7 of the lesson will give its model; choose another name for yours"))
        guard case .failed(let drop)? = results[1].0 else { return XCTFail("model drop baseline ran") }
        XCTAssertTrue(drop.hasPrefix("baseline belongs to the lesson"), drop)
        XCTAssertEqual(results[2].0, .succeeded)
        XCTAssertEqual(session.workspace.variants.names, ["baseline", "mine"])
    }

    func testACellRunsOnTheLessonsModelAndSettingsWhateverTheLearnerChose() throws {
        let (session, sink) = makeSession()
        run(session, sink, ["lesson open 2", "next"])
        let noted = run(session, sink, ["model copy baseline mine", "set precision=2 seed=9", "set precision=3"])
        XCTAssertEqual(noted[1].1.components(separatedBy: "note: the lesson's cells keep their own settings").count, 2)
        XCTAssertFalse(noted[2].1.contains("note:"), "the note about settings is said once")
        let lesson = try LessonLibrary.load(Self.lessonsFolder.appendingPathComponent("02-magnitude-pruning.md"))
        let cell = run(session, sink, ["next"])[0].1
        XCTAssertTrue(cell.contains(try XCTUnwrap(lesson.cells[1].expectedOutput).joined(separator: "\n")), cell)
        // The learner's settings and models come back after the cell.
        XCTAssertEqual(session.context.settings.precision, 3)
        XCTAssertEqual(session.workspace.seed, 9)
        XCTAssertEqual(session.workspace.variants.names, ["baseline", "mine"])
    }

    func testClosingANestedLessonGivesBackTheLearnersOwnEmptyWorkspaceAndSettings() {
        let (session, sink) = makeSession()
        run(session, sink, ["set precision=6", "lesson open 0", "next", "lesson open 2", "next", "lesson close"])
        XCTAssertTrue(session.workspace.variants.names.isEmpty)
        XCTAssertNil(session.workspace.data)
        XCTAssertEqual(session.context.settings.precision, 6)
        XCTAssertNil(session.context.lesson)
    }

    func testClosingGivesBackTheLearnersModelsAndSeed() {
        let (session, sink) = makeSession()
        run(session, sink, ["model new mlp 64-8-10 name=mine", "set seed=9", "lesson open 0", "next", "next", "next", "lesson close"])
        XCTAssertEqual(session.workspace.variants.names, ["mine"])
        XCTAssertEqual(session.workspace.seed, 9)
        XCTAssertEqual(session.context.settings.precision, 4)
    }

    func testACellThatFailsUnexpectedlyStopsThePlayerWithWaysToRecover() throws {
        let text = """
            # Broken
            seed: 0

            ```slimlab
            model use nothing
            ```

            ```output
            slimlab> model use nothing
            ```
            """
        let lesson = try LessonParser.parse(text, slug: "99-broken")
        let (session, sink) = makeSession()
        let player = LessonPlayer(lesson: lesson, file: home.appendingPathComponent("99-broken.md"), context: session.context)
        session.context.lesson = player
        let output = run(session, sink, ["next"])[0].1
        XCTAssertTrue(output.contains("cell 1 stopped at an error its recording does not show"), output)
        XCTAssertTrue(output.contains("`lesson restart`") && output.contains("`lesson goto 1`"), output)
        XCTAssertEqual(player.position, 0, "the player must not move on as if the cell ran")
    }

    func testAnExerciseIsSolvedByAnyCommandThatPassesItsChecks() {
        let (session, sink) = makeSession()
        run(session, sink, ["lesson open 2", "next", "next", "next", "next", "next"])
        XCTAssertEqual(session.prompt, "slimlab[baseline] exercise 1/4> ")
        let tries = run(session, sink, ["answer 6553.6", "next", "answer 6,553"])
        XCTAssertTrue(tries[0].1.contains("✗ not yet: 6553.6 is not it"), tries[0].1)
        XCTAssertTrue(tries[1].1.contains("Exercise 1 of 4 is not solved yet"), tries[1].1)
        XCTAssertTrue(tries[2].1.contains("✓ exercise 1 of 4 solved — Enter goes on"), tries[2].1)
        run(session, sink, ["next", "next"])
        let made = run(session, sink, ["model use baseline",
                                        "prune magnitude sparsity=0.95 as=mine detail=brief",
                                        "prune magnitude scope=global sparsity=0.95 from=baseline as=mine2 detail=brief"])
        XCTAssertTrue(made[1].1.contains("✗ not yet: mine: not global"), made[1].1)
        XCTAssertTrue(made[2].1.contains("✓ exercise 2 of 4 solved"), made[2].1)
    }

    func testLessonNamesNumbersAndTitleWordsFindTheirLesson() throws {
        let library = LessonLibrary(folder: Self.lessonsFolder)
        for name in ["00", "0", "tour", "00-tour", "to"] {
            XCTAssertEqual(try library.resolve(name).lastPathComponent, "00-tour.md", name)
        }
        XCTAssertEqual(try library.resolve("magnitude").lastPathComponent, "02-magnitude-pruning.md")
        XCTAssertEqual(try library.resolve("distillation").lastPathComponent, "07-distillation.md")
        XCTAssertThrowsError(try library.resolve("pruning")) { error in
            let lookup = error as? LessonLookupError
            XCTAssertEqual(lookup?.matching, ["02-magnitude-pruning", "03-structured-and-schedules"])
        }
        XCTAssertThrowsError(try library.resolve("tuor")) { error in
            XCTAssertEqual((error as? LessonLookupError)?.suggestion, "tour")
        }
        XCTAssertTrue(LessonLibrary.completionNames().contains("00"))
        XCTAssertTrue(LessonLibrary.completionNames().contains("pruning"))
    }

    func testProgressRoundTripsAndACorruptFileIsSetAsideNotFatal() throws {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let url = home.appendingPathComponent("progress")
        let progress = LessonProgress(entries: ["01-baseline": .init(steps: 0, finished: true, solved: [1, 2]),
                                                "02-magnitude-pruning": .init(steps: 5, solved: [1])])
        try progress.save(to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "01-baseline done solved=1,2\n02-magnitude-pruning 5 solved=1\n")
        XCTAssertEqual(LessonProgress.load(from: url).progress, progress)
        XCTAssertNil(LessonProgress.load(from: url).problem)

        try "02-magnitude-pruning lots\n".write(to: url, atomically: true, encoding: .utf8)
        let loaded = LessonProgress.load(from: url)
        XCTAssertEqual(loaded.progress, LessonProgress())
        XCTAssertTrue(loaded.problem?.contains("line 1") ?? false, loaded.problem ?? "no problem reported")
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path + ".corrupt"))
    }

    func testLessonResetForgetsOneLessonAndListShowsCellsAndExercises() throws {
        let (session, sink) = makeSession()
        run(session, sink, ["lesson open 0", "next", "answer", "skip", "lesson close", "lesson open 2", "next", "lesson close"])
        let listed = run(session, sink, ["lesson list"])[0].1
        let tour = try XCTUnwrap(listed.split(separator: "\n").first { $0.hasPrefix("00") })
        XCTAssertTrue(tour.contains("1/5") && tour.contains("0/2"), String(tour))
        let reset = run(session, sink, ["lesson reset 0", "lesson list"])
        XCTAssertTrue(reset[0].1.contains("progress forgotten"), reset[0].1)
        let again = try XCTUnwrap(reset[1].1.split(separator: "\n").first { $0.hasPrefix("00") })
        XCTAssertTrue(again.contains("0/5"), String(again))
        let pruning = try XCTUnwrap(reset[1].1.split(separator: "\n").first { $0.hasPrefix("02") })
        XCTAssertTrue(pruning.contains("1/8"), String(pruning))
    }

    func testGotoBackAndExport() throws {
        let (session, sink) = makeSession()
        run(session, sink, ["lesson open 0", "lesson goto 3"])
        XCTAssertEqual(session.context.lesson?.cellsDone, 2)
        let back = run(session, sink, ["back 2", "back 4", "lesson goto 1"])
        XCTAssertTrue(back[0].1.contains("error: unknown command 'sett'") && back[0].1.contains("the same as the lesson's recording"), back[0].1)
        XCTAssertTrue(back[1].1.contains("Cell 4 has not run yet"), back[1].1)
        XCTAssertEqual(session.context.lesson?.position, 0)
        let file = home.appendingPathComponent("tour.md")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        run(session, sink, ["next", "help show", "lesson export \(file.path)"])
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# Lesson 00 · A tour of SlimLab\n"), text)
        XCTAssertTrue(text.contains("## Exercise 1: solved ✓"), text)
        XCTAssertTrue(text.contains("```slimlab\nhelp show\n```"), text)
    }

    func testExerciseBlocksAreCheckedWhenRead() {
        func parse(_ body: String) -> String? {
            let text = "# T\n\n```exercise\n\(body)\n```\n"
            do { _ = try LessonParser.parse(text, slug: "t"); return nil } catch { return error.problem }
        }
        XCTAssertNil(parse("task: t\ncheck: number 1±0.1\nhint: h\nanswer: answer 1\nwrong: answer 2"))
        XCTAssertEqual(parse("task: t\ncheck: number 1\nhint: h\nanswer: answer 1"), "exercise 1 needs at least one 'wrong:' line")
        XCTAssertEqual(parse("task: t\ncheck: sparsity 0.8\nhint: h\nanswer: a\nwrong: b"),
                       "exercise 1: unknown check 'sparsity'; the checks are variant, number, choice, used")
        XCTAssertEqual(parse("task: t\ncheck: variant layers=fc2\nhint: h\nanswer: a\nwrong: b")?.hasPrefix("exercise 1: unknown condition 'layers=fc2'"), true)
        XCTAssertEqual(try ExerciseCheck(parsing: "variant from=baseline sparsity.fc2=0.9±0.01 origin~global"),
                       .variant([.from("baseline"), .sparsity(layer: "fc2", 0.9, tolerance: 0.01), .origin("global")]))
        XCTAssertEqual(try ExerciseCheck(parsing: "choice fc1 | fc2"), .choice(["fc1", "fc2"]))
    }
}
