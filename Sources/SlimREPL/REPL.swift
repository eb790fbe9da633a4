#if canImport(Glibc)
import Glibc
#endif
import SlimLab
import SlimKernels

/// Entry point of the interactive layer; `slimlab`'s main hands the command line over here.
public enum REPL {
    /// Runs SlimLab with the given arguments (without the program name) and returns the exit
    /// status: 0 when every command succeeded, 1 after a failing script command, 2 for a
    /// bad command line.
    public static func main(arguments: [String], registry: CommandRegistry = .standard) -> Int32 {
        if arguments.first == "lesson" {
            return LessonTool.main(arguments: Array(arguments.dropFirst()))
        }
        let options: LaunchOptions
        do {
            options = try LaunchOptions.parse(arguments)
        } catch {
            StandardStream.error.write("slimlab: \(error)\nusage: slimlab [--no-color] [--keep-going] [--script FILE | -c \"COMMAND; COMMAND\"] (see slimlab --help)\n")
            return 2
        }
        switch options.action {
        case .printVersion:
            StandardStream.output.write("slimlab \(slimLabVersion)\n"
                                        + kernelDescription(threads: ComputePool.availableCores) + "\n")
            return 0
        case .printHelp:
            StandardStream.output.write(LaunchOptions.helpText + "\n")
            return 0
        case .run(let source):
            return run(source, options: options, registry: registry)
        }
    }

    private static func run(_ source: LaunchOptions.Source, options: LaunchOptions,
                            registry: CommandRegistry) -> Int32 {
        let environment = Environment.current
        let noColor = (environment["NO_COLOR"].map { !$0.isEmpty } ?? false)
        var settings = SessionSettings()
        if options.noColor { settings.color = .off }

        let reader: any LineReader
        switch source {
        case .scriptFile(let path):
            guard let text = FileText.read(path) else {
                StandardStream.error.write("slimlab: cannot read script '\(path)': \(String(cString: strerror(errno)))\n")
                return 2
            }
            reader = ScriptedLineReader(text: text)
        case .commands(let text):
            reader = ScriptedLineReader(lines: CommandLineTokenizer.splitCommands(text))
        case .standardInput:
            guard isatty(STDIN_FILENO) == 1 else {
                reader = PipeLineReader()
                break
            }
            return runInteractive(settings: settings, noColor: noColor, environment: environment,
                                  registry: registry)
        }
        let session = Session(registry: registry, settings: settings, output: PlainSink(), noColor: noColor)
        return session.run(reader: reader, keepGoing: options.keepGoing)
    }

    private static func runInteractive(settings: SessionSettings, noColor: Bool, environment: [String: String],
                                       registry: CommandRegistry) -> Int32 {
        let output: any OutputSink = isatty(STDOUT_FILENO) == 1 ? TerminalSink() : PlainSink()
        let history = ReadlineHistory(path: HistoryFile.path(environment: environment))
        let session = Session(registry: registry, settings: settings, output: output, history: history,
                              isInteractive: true, noColor: noColor)
        let context = session.context
        let completer = Completer(registry: registry, names: { [unowned context] in context.names($0) })
        let reader = ReadlineLineReader(completer: completer.candidates)
        InterruptHandler.install(stop: session.workspace.stop)
        defer { InterruptHandler.uninstall() }
        return session.run(reader: reader)
    }
}
