import SlimLab

/// Entry point of the interactive layer; `slimlab`'s main hands the command line over here.
public enum REPL {
    /// Runs SlimLab with the given arguments (without the program name) and returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        if arguments.contains("--version") {
            print("slimlab \(slimLabVersion)")
            return 0
        }
        return 0
    }
}
