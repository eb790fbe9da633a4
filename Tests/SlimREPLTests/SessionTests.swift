import XCTest
import SlimLab
import SlimKernels
@testable import SlimREPL

final class SessionTests: XCTestCase {
    private func session(threads: Int = 2) -> Session {
        Session.scripted(workspace: Workspace(threads: threads), registry: .sample)
    }

    func testTranscriptEchoesEachCommandAfterThePrompt() {
        let transcript = session().transcript(of: ["set seed=3", "", "# a comment", "train epochs=2", "trian"])
        XCTAssertEqual(transcript.text, """
            slimlab> set seed=3
            seed: 0 → 3
            slimlab> train epochs=2
            trained 2 epochs with sgd
            slimlab> trian
            error: unknown command 'trian' — did you mean 'train'?

            """)
        XCTAssertEqual(transcript.entries.map(\.line), ["set seed=3", "train epochs=2", "trian"])
        XCTAssertEqual(transcript.entries.map(\.output), ["seed: 0 → 3\n", "trained 2 epochs with sgd\n",
                                                          "error: unknown command 'trian' — did you mean 'train'?\n"])
        XCTAssertEqual(transcript.entries.map(\.error), [nil, nil, "unknown command 'trian' — did you mean 'train'?"])
        XCTAssertTrue(transcript.failed)
        XCTAssertFalse(transcript.quit)
    }

    func testTranscriptStopsAtFirstErrorUnlessKeepGoing() {
        let lines = ["set precision=99", "set precision=2"]
        let stopped = session().transcript(of: lines, keepGoing: false)
        XCTAssertEqual(stopped.entries.count, 1)
        XCTAssertEqual(stopped.text, "slimlab> set precision=99\nerror: precision=99 is out of range (allowed: 0…12)\n")
        let all = session().transcript(of: lines, keepGoing: true)
        XCTAssertEqual(all.entries.count, 2)
    }

    func testQuitEndsTheTranscript() {
        let transcript = session().transcript(of: ["quit", "set seed=1"])
        XCTAssertTrue(transcript.quit)
        XCTAssertEqual(transcript.text, "slimlab> quit\n")
    }

    func testFailedCommandLeavesStateUnchanged() {
        let session = session()
        session.execute("set seed=9 threads=1")
        XCTAssertEqual(session.execute("set seed=4 threads=0"), .failed("threads=0 is out of range (allowed: 1…256)"))
        XCTAssertEqual(session.workspace.seed, 9, "a bad value rejects the whole line")
        XCTAssertEqual(session.workspace.pool.threadCount, 1)
    }

    func testSetResizesThePoolAndChangesSettings() {
        let session = session(threads: 2)
        let transcript = session.transcript(of: ["set threads=1 precision=6 pause=on color=off", "set"])
        XCTAssertEqual(session.workspace.pool.threadCount, 1)
        XCTAssertEqual(session.context.settings, SessionSettings(color: .off, precision: 6, pause: true))
        XCTAssertEqual(transcript.text, """
            slimlab> set threads=1 precision=6 pause=on color=off
            threads: 2 → 1
            color: auto → off
            precision: 4 → 6
            pause: off → on
            slimlab> set
            seed        0
            threads     1
            color       off
            precision   6
            pause       on
            pager       off
            max-memory  4GiB
            max-work    10T
            \(kernelDescription(threads: 1))

            """)
        XCTAssertEqual(session.transcript(of: ["set seed=0"]).entries[0].output, "seed: 0 (unchanged)\n")
    }

    func testSemicolonsSeparateCommandsOnOneLine() {
        let session = session()
        XCTAssertEqual(session.execute("set seed=1; set seed=x; set seed=3"), .failed("seed=x is not a whole number (allowed: ≥ 0)"))
        XCTAssertEqual(session.workspace.seed, 1, "commands after the failing one do not run")
    }

    func testValidateRejectsUnknownNamesBeforeRunning() {
        SampleTrain.runs = []
        let transcript = session().transcript(of: [
            "train teacher=basline", "model use nope", "train layers=fc1.weight,fc9", "model use int8",
            "load nowhere.csv", "train teacher=int8 layers=fc2.weight",
        ])
        XCTAssertEqual(transcript.entries.map(\.error), [
            "no variant named 'basline' for teacher= — did you mean 'baseline'?",
            "no variant named 'nope' — known: baseline, pruned-80, int8",
            "no tensor named 'fc9' for layers= — known: fc1.weight, fc1.bias, fc2.weight",
            "no variant named 'int4' for as= — did you mean 'int8'?",
            nil,
            nil,
        ], "names are checked before validate and run; paths are not checked")
        XCTAssertEqual(SampleTrain.runs.count, 1)
    }

    func testPromptShowsTheCurrentModel() {
        let session = session()
        XCTAssertEqual(session.prompt, "slimlab> ")
        session.execute("set seed=7")
        XCTAssertEqual(session.prompt, "slimlab[baseline]> ")
        XCTAssertEqual(session.transcript(of: ["help quit"]).text.prefix(24), "slimlab[baseline]> help ")
    }

    func testRunLoopReportsExitStatus() {
        let sink = CapturingSink()
        let failing = Session(registry: .sample, output: sink)
        XCTAssertEqual(failing.run(reader: ScriptedLineReader(lines: ["set seed=1", "bogus", "set seed=2"])), 1)
        XCTAssertEqual(failing.workspace.seed, 1)
        XCTAssertEqual(sink.text, "slimlab> set seed=1\nseed: 0 → 1\nslimlab> bogus\nerror: unknown command 'bogus' — type 'help' for the list of commands\n")

        let keepGoing = Session(registry: .sample, output: CapturingSink())
        XCTAssertEqual(keepGoing.run(reader: ScriptedLineReader(lines: ["bogus", "set seed=2"]), keepGoing: true), 1)
        XCTAssertEqual(keepGoing.workspace.seed, 2)

        let fine = Session(registry: .sample, output: CapturingSink())
        XCTAssertEqual(fine.run(reader: ScriptedLineReader(text: "set seed=5\n# done\n")), 0)
    }

    func testHistoryListsTheLinesOfTheSession() {
        let history = InMemoryHistory()
        let session = Session(registry: .sample, output: CapturingSink(), history: history)
        _ = session.run(reader: ScriptedLineReader(lines: ["set seed=1", "set seed=1", "# c", "history 2"]))
        XCTAssertEqual(history.entries, ["set seed=1", "history 2"], "repeats and comments are not kept")
        let transcript = session.transcript(of: ["history"])
        XCTAssertEqual(transcript.entries[0].output, "   1  set seed=1\n   2  history 2\n   3  history\n",
                       "a transcript's lines join the history, as a script's do")
    }

    func testInMemoryHistoryIsBounded() {
        let history = InMemoryHistory(limit: 3)
        for index in 1...5 { history.add("line \(index)") }
        XCTAssertEqual(history.entries, ["line 3", "line 4", "line 5"])
    }

    func testHistoryFileLocation() {
        XCTAssertEqual(HistoryFile.path(environment: ["HOME": "/home/a"]), "/home/a/.slimlab_history")
        XCTAssertEqual(HistoryFile.path(environment: ["HOME": "/home/a", "SLIMLAB_HISTORY": "/tmp/h"]), "/tmp/h")
        XCTAssertEqual(HistoryFile.path(environment: ["SLIMLAB_HISTORY": ""]), nil)
    }

    func testStepsPrintHeadersAndStopOnRequest() {
        let transcript = session().transcript(of: ["steps"])
        XCTAssertEqual(transcript.text, """
            slimlab> steps
            Step 1/3 · first
            Step 2/3 · second
            stopped (Ctrl-C): the session is as it was before the command

            """)
    }

    func testPausesOnlyWhenInteractiveAndPauseIsOn() {
        let sink = CapturingSink()
        let session = Session(registry: .sample, settings: SessionSettings(pause: true), output: sink, isInteractive: true)
        // The second wait for Enter reports Ctrl-C, so the command stops before step 2.
        let reader = ScriptedLineReader(lines: ["steps"], interactive: true, enterPresses: 0)
        XCTAssertEqual(session.run(reader: reader), 0, "an interactive session never fails")
        XCTAssertEqual(sink.text, "Step 1/3 · first\nstopped (Ctrl-C): the session is as it was before the command\n\n")

        let script = Session(registry: .sample, settings: SessionSettings(pause: true), output: CapturingSink())
        XCTAssertTrue(script.transcript(of: ["steps"]).text.contains("Step 2/3"), "scripts never pause")
    }

    func testTranscriptOnALiveSessionRestoresItsOutput() {
        let terminal = CapturingSink(isTerminal: true, width: 60)
        let session = Session(registry: .sample, output: terminal, isInteractive: true)
        let transcript = session.transcript(of: ["set seed=2"])
        XCTAssertEqual(transcript.text, "slimlab> set seed=2\nseed: 0 → 2\n")
        XCTAssertTrue(session.context.output === terminal)
        XCTAssertTrue(session.context.isInteractive)
        XCTAssertEqual(session.workspace.seed, 2, "what the lines did stays")
        XCTAssertEqual(terminal.text, "")
    }

    func testColorsOnlyOnATerminalWithoutNoColor() {
        let terminal = Session(output: CapturingSink(isTerminal: true), isInteractive: true)
        XCTAssertTrue(terminal.context.usesColor)
        terminal.execute("bogus")
        XCTAssertTrue((terminal.context.output as! CapturingSink).text.hasPrefix("\u{1B}[1;31merror:\u{1B}[0m unknown"))
        XCTAssertFalse(Session(output: CapturingSink(isTerminal: true), noColor: true).context.usesColor)
        XCTAssertFalse(Session(output: CapturingSink()).context.usesColor)
        let forced = Session(settings: SessionSettings(color: .on), output: CapturingSink())
        XCTAssertTrue(forced.context.usesColor)
        terminal.execute("set color=off")
        XCTAssertFalse(terminal.context.usesColor)
    }
}

final class ContextRenderingTests: XCTestCase {
    func testShowUsesTheSessionPrecisionWidthAndColors() {
        let sink = CapturingSink(isTerminal: true, width: 20)
        let session = Session(settings: SessionSettings(color: .off, precision: 2), output: sink, isInteractive: true)
        let context = session.context
        context.show(Tensor<Float>(shape: [2], scalars: [1, -0.125]))
        context.show(Table(["name", "n"], rows: [["a very long name indeed", "1"]]))
        context.show(BarChart([("a", 1), ("b", 0.5)], digits: 1))
        XCTAssertEqual(sink.text, """
            [ 1.00 -0.12]
            name               n
            ─────────────────  ─
            a very long name…  1
            a  ████████████  1.0
            b  ██████        0.5

            """)
    }
}
