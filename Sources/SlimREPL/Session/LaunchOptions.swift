/// The command line of `slimlab`: where commands come from and how to run them.
public struct LaunchOptions: Equatable {
    /// Where the session's lines come from.
    public enum Source: Equatable {
        /// Standard input: readline on a terminal, plain lines from a pipe.
        case standardInput
        /// `--script FILE`.
        case scriptFile(String)
        /// `-c "cmd; cmd"`.
        case commands(String)
    }

    /// What `slimlab` was asked to do.
    public enum Action: Equatable {
        case run(Source)
        case printVersion
        case printHelp
    }

    public var action: Action = .run(.standardInput)
    /// `--no-color`: start with `color=off`.
    public var noColor = false
    /// `--keep-going`: in a script, run every line even after an error.
    public var keepGoing = false

    /// A misuse of the command line, reported with the usage and exit status 2.
    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init() {}

    /// Reads `slimlab`'s arguments (without the program name).
    public static func parse(_ arguments: [String]) throws -> LaunchOptions {
        var options = LaunchOptions()
        var index = 0
        func value(for flag: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--version", "-V": options.action = .printVersion; return options
            case "--help", "-h": options.action = .printHelp; return options
            case "--no-color": options.noColor = true
            case "--keep-going", "-k": options.keepGoing = true
            case "--script", "-s": options.action = .run(.scriptFile(try value(for: argument)))
            case "-c", "--command": options.action = .run(.commands(try value(for: argument)))
            default:
                if argument.hasPrefix("--script=") {
                    options.action = .run(.scriptFile(String(argument.dropFirst("--script=".count))))
                } else {
                    let known = ["--version", "--help", "--no-color", "--keep-going", "--script", "-c"]
                    var message = "unknown argument '\(argument)'"
                    if let suggestion = Suggestion.closest(to: argument, among: known) {
                        message += " — did you mean '\(suggestion)'?"
                    }
                    throw UsageError(description: message)
                }
            }
            index += 1
        }
        return options
    }

    /// `slimlab --help`.
    public static let helpText = """
        usage: slimlab [--no-color] [--keep-going] [--script FILE | -c "COMMAND; COMMAND"]
               slimlab lesson check|bless [--threads N] [--interleave] [FILES…]

        SlimLab: learn neural-network compression by doing it, in a REPL.

        With no arguments on a terminal, starts the interactive REPL (Tab completes, Ctrl-C
        stops a long command, Ctrl-D or 'quit' leaves). With standard input from a pipe, or
        with --script or -c, runs the commands as a script: each is echoed after the prompt,
        and the first error ends the script with exit status 1.

        options:
          --script FILE, -s FILE    run the commands in FILE (one per line, # starts a comment)
          -c "COMMAND; COMMAND"     run these commands, separated by ';'
          --keep-going, -k          in a script, run every command even after an error
          --no-color                never use colors (so does the NO_COLOR variable)
          --version, -V             print the version
          --help, -h                print this help

        lesson check replays lessons (all of Lessons/ by default) in fresh sessions and prints a
        unified diff for every cell whose output changed (exit status 1); it also runs every
        exercise's answer (its checks must pass) and wrong examples (they must fail).
        --interleave types a curious learner's commands between the steps; the cells must print
        the same. lesson bless records the outputs anew in the files' output blocks.

        Inside the REPL, 'help' lists the commands.
        """
}
